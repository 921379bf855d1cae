using SbiSharp.Internal;

namespace SbiSharp.Training;

/// <summary>Optimization settings. Defaults follow BayesFlow's diffusion workflow where it has one.</summary>
public sealed record TrainingOptions
{
    /// <summary>Default options.</summary>
    public static TrainingOptions Default { get; } = new();

    /// <summary>Most passes over the training data (offline) or blocks of <see cref="BatchesPerEpoch"/> fresh batches (online). With early
    /// stopping (the default) training ends when the validation loss stops improving, usually long before; without it, the run's length.</summary>
    public int Epochs { get; init; } = 1_000;

    /// <summary>Optional upper bound on gradient steps (null: none, the default; training ends by early stopping, <see cref="Epochs"/> or <see cref="TimeLimit"/>). With the cosine schedule the decay spans the capped length.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>How the learning rate moves; the default decays on validation plateaus when early stopping decides the length, and by a cosine over a fixed length (early stopping off, or a <see cref="MaxSteps"/> budget) otherwise.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Auto;

    /// <summary>Most steps of the linear warm-up of the plateau schedule, which warms up over the smaller of this and <see cref="WarmupFraction"/> of the most steps training may take (the cosine schedule over <see cref="WarmupFraction"/> of its length).</summary>
    public int WarmupSteps { get; init; } = 500;

    /// <summary>Epochs without a better validation loss before the plateau schedule multiplies the learning rate by <see cref="PlateauFactor"/>.</summary>
    public int PlateauPatience { get; init; } = 8;

    /// <summary>Factor in (0, 1) the plateau schedule applies to the learning rate at each plateau.</summary>
    public double PlateauFactor { get; init; } = 0.5;

    /// <summary>Smallest learning rate of the plateau schedule, as a fraction of <see cref="LearningRate"/>.</summary>
    public double MinLearningRateFactor { get; init; } = 0.01;

    /// <summary>Relative decrease of the validation loss that counts as an improvement for early stopping and the plateau schedule (as PyTorch's ReduceLROnPlateau threshold): a new best must be below best − threshold·|best|.</summary>
    public double ImprovementThreshold { get; init; } = 1e-4;

    /// <summary>Rows per gradient step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Batches per epoch in online training.</summary>
    public int BatchesPerEpoch { get; init; } = 100;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>Fraction of all steps spent on the linear warm-up (of the most steps, <see cref="Epochs"/> or <see cref="MaxSteps"/>, for the plateau schedule, up to <see cref="WarmupSteps"/>).</summary>
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
        if (MaxSteps is { } cap) Check.PositiveValue(cap, nameof(MaxSteps));
        if (!Enum.IsDefined(Schedule))
            throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, $"`Schedule` must be one of {string.Join(", ", Enum.GetNames<LearningRateSchedule>())}; got {Schedule}.");
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, $"`WarmupSteps` must be non-negative; got {WarmupSteps}.");
        Check.PositiveValue(PlateauPatience, nameof(PlateauPatience));
        if (!(PlateauFactor > 0 && PlateauFactor < 1))
            throw new ArgumentOutOfRangeException(nameof(PlateauFactor), PlateauFactor, $"`PlateauFactor` must lie in (0, 1); got {PlateauFactor}.");
        if (!(MinLearningRateFactor > 0 && MinLearningRateFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinLearningRateFactor), MinLearningRateFactor, $"`MinLearningRateFactor` must lie in (0, 1]; got {MinLearningRateFactor}.");
        if (!(ImprovementThreshold >= 0 && ImprovementThreshold < 1))
            throw new ArgumentOutOfRangeException(nameof(ImprovementThreshold), ImprovementThreshold, $"`ImprovementThreshold` must lie in [0, 1); got {ImprovementThreshold}.");
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

    /// <summary>The schedule <see cref="Schedule"/> resolves to: <see cref="LearningRateSchedule.Auto"/> picks plateau when early stopping
    /// decides the length, and cosine over the known length when early stopping is off or a <see cref="MaxSteps"/> budget is set.</summary>
    public LearningRateSchedule ResolvedSchedule =>
        Schedule != LearningRateSchedule.Auto ? Schedule
        : EarlyStoppingPatience > 0 && MaxSteps is null ? LearningRateSchedule.Plateau : LearningRateSchedule.Cosine;
}
