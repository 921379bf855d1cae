namespace SbiSharp.Diagnostics;

/// <summary>Settings of the C2ST classifier; the defaults are sbibm's (scikit-learn's MLPClassifier as sbibm calls it).</summary>
public sealed record C2stOptions
{
    /// <summary>Default options.</summary>
    public static C2stOptions Default { get; } = new();

    /// <summary>Cross-validation folds.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Hidden units per layer as a multiple of the dimension d (two hidden layers of HiddenFactor·d).</summary>
    public int HiddenFactor { get; init; } = 10;

    /// <summary>Adam learning rate (constant).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>L2 penalty α (scikit-learn's alpha): adds ½α‖W‖²/batch to the loss.</summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>Largest mini-batch; the batch is min(this, training rows).</summary>
    public int MaxBatchSize { get; init; } = 200;

    /// <summary>Maximum epochs.</summary>
    public int MaxEpochs { get; init; } = 10_000;

    /// <summary>Stop when the training loss has not improved by <see cref="Tolerance"/> for more than this many epochs.</summary>
    public int NoImprovementEpochs { get; init; } = 10;

    /// <summary>Improvement threshold of the stopping rule.</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Seed of folds, initialization and shuffling.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>z-score both samples with the mean and unbiased std of the reference sample first.</summary>
    public bool ZScore { get; init; } = true;

    /// <summary>Throws on the first invalid field.</summary>
    public C2stOptions Validate()
    {
        if (Folds < 2) throw new ArgumentOutOfRangeException(nameof(Folds), Folds, $"`Folds` must be at least 2; got {Folds}.");
        Internal.Check.PositiveValue(HiddenFactor, nameof(HiddenFactor));
        Internal.Check.PositiveValue(LearningRate, nameof(LearningRate));
        if (L2 < 0) throw new ArgumentOutOfRangeException(nameof(L2), L2, $"`L2` must be non-negative; got {L2}.");
        Internal.Check.PositiveValue(MaxBatchSize, nameof(MaxBatchSize));
        Internal.Check.PositiveValue(MaxEpochs, nameof(MaxEpochs));
        Internal.Check.PositiveValue(NoImprovementEpochs, nameof(NoImprovementEpochs));
        if (!(Tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, $"`Tolerance` must be non-negative; got {Tolerance}.");
        return this;
    }
}
