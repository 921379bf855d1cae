namespace SbiSharp.Training;

/// <summary>What a training run did.</summary>
/// <param name="Losses">Mean training loss per epoch.</param>
/// <param name="ValidationLosses">Validation loss (EMA weights) per epoch.</param>
/// <param name="BestEpoch">1-based epoch whose EMA weights were kept.</param>
/// <param name="Steps">Gradient steps taken.</param>
/// <param name="Seconds">Wall-clock training time.</param>
/// <param name="StopReason">Why training ended.</param>
public sealed record TrainingResult(IReadOnlyList<double> Losses, IReadOnlyList<double> ValidationLosses, int BestEpoch, long Steps, double Seconds, string StopReason)
{
    /// <summary>The step of the checkpoint this run resumed from; null when it started fresh.</summary>
    public long? ResumedFromStep { get; init; }

    /// <summary>Learning rate after each epoch (the rate the next epoch starts with; the plateau schedule's reductions show here).</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [];

    /// <summary>Gradient steps per second.</summary>
    public double StepsPerSecond => Seconds > 0 ? Steps / Seconds : 0;

    /// <summary>Training loss of the last epoch.</summary>
    public double FinalLoss => Losses.Count > 0 ? Losses[^1] : double.NaN;

    /// <summary>Best validation loss.</summary>
    public double BestValidationLoss => ValidationLosses.Count > 0 ? ValidationLosses.Min() : double.NaN;
}
