using SbiSharp.Internal;

namespace SbiSharp.Training;

/// <summary>Optimization settings. Defaults follow BayesFlow's diffusion workflow where it has one.</summary>
public sealed record TrainingOptions
{
    /// <summary>Default options.</summary>
    public static TrainingOptions Default { get; } = new();

    /// <summary>Passes over the training data (offline) or blocks of <see cref="BatchesPerEpoch"/> fresh batches (online).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Upper bound on gradient steps: large data sets get fewer epochs so training time stays bounded (the learning-rate schedule spans the capped length).</summary>
    public long MaxSteps { get; init; } = 15_000;

    /// <summary>Rows per gradient step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Batches per epoch in online training.</summary>
    public int BatchesPerEpoch { get; init; } = 100;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>Fraction of all steps spent on the linear warm-up.</summary>
    public double WarmupFraction { get; init; } = 0.05;

    /// <summary>Learning rate at step 0 as a fraction of the peak.</summary>
    public double WarmupStartFactor { get; init; } = 0.1;

    /// <summary>The optimizer; the default picks AdamW for finite data and Adam for a stream of fresh simulations.</summary>
    public OptimizerChoice Optimizer { get; init; } = OptimizerChoice.Auto;

    /// <summary>Where the validation set comes from when none is passed to training; the default splits finite data and draws once from a stream.</summary>
    public ValidationSource Validation { get; init; } = ValidationSource.Auto;

    /// <summary>AdamW weight decay (unused by Adam).</summary>
    public double WeightDecay { get; init; } = 5e-3;

    /// <summary>Global gradient-norm clipping threshold.</summary>
    public double GradientClipNorm { get; init; } = 1.5;

    /// <summary>Decay of the exponential moving average of the weights (the weights used for sampling).</summary>
    public double EmaDecay { get; init; } = 0.999;

    /// <summary>Fraction of a finite data set held out for validation and early stopping (<see cref="ValidationSource.Split"/>).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Pairs drawn once from a stream as its validation set (<see cref="ValidationSource.Stream"/>).</summary>
    public int OnlineValidationSize { get; init; } = 2_000;

    /// <summary>Epochs without a new best validation loss before training stops; 0 turns early stopping off.</summary>
    public int EarlyStoppingPatience { get; init; } = 30;

    /// <summary>Optional wall-clock limit; training stops (keeping the best weights) when it is reached.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Folder for training checkpoints; null: none. Training resumes by itself from a checkpoint there of the same configuration and data, and refuses one of another.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Least wall-clock time between two checkpoints (written at the end of an epoch, and always when training ends).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Seed for data order, noise levels, noise and dropout.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Throws on the first invalid field.</summary>
    public TrainingOptions Validate()
    {
        Check.PositiveValue(Epochs, nameof(Epochs));
        Check.PositiveValue(BatchSize, nameof(BatchSize));
        Check.PositiveValue(MaxSteps, nameof(MaxSteps));
        Check.PositiveValue(BatchesPerEpoch, nameof(BatchesPerEpoch));
        Check.PositiveValue(LearningRate, nameof(LearningRate));
        Check.Probability(WarmupFraction, nameof(WarmupFraction));
        Check.PositiveValue(WarmupStartFactor, nameof(WarmupStartFactor));
        if (!Enum.IsDefined(Optimizer))
            throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, $"`Optimizer` must be one of {string.Join(", ", Enum.GetNames<OptimizerChoice>())}; got {Optimizer}.");
        if (!Enum.IsDefined(Validation))
            throw new ArgumentOutOfRangeException(nameof(Validation), Validation, $"`Validation` must be one of {string.Join(", ", Enum.GetNames<ValidationSource>())}; got {Validation}.");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, $"`WeightDecay` must be non-negative; got {WeightDecay}.");
        Check.PositiveValue(GradientClipNorm, nameof(GradientClipNorm));
        Check.Probability(EmaDecay, nameof(EmaDecay));
        if (!(ValidationFraction > 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, $"`ValidationFraction` must lie in (0, 1); got {ValidationFraction}.");
        Check.PositiveValue(OnlineValidationSize, nameof(OnlineValidationSize));
        if (EarlyStoppingPatience < 0)
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, $"`EarlyStoppingPatience` must be non-negative; got {EarlyStoppingPatience}.");
        if (TimeLimit is { } limit && limit <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(TimeLimit), limit, $"`TimeLimit` must be positive; got {limit}.");
        if (CheckpointDirectory is not null && string.IsNullOrWhiteSpace(CheckpointDirectory))
            throw new ArgumentException("`CheckpointDirectory` must name a folder or be null; got an empty string.", nameof(CheckpointDirectory));
        if (CheckpointInterval < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), CheckpointInterval, $"`CheckpointInterval` must be zero or positive; got {CheckpointInterval.TotalSeconds} s.");
        return this;
    }
}
