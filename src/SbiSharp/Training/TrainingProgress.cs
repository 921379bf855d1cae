namespace SbiSharp.Training;

/// <summary>A progress report, sent after every epoch.</summary>
/// <param name="Epoch">Epochs done.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Step">Gradient steps done.</param>
/// <param name="TotalSteps">Gradient steps planned.</param>
/// <param name="Loss">Mean training loss of the epoch.</param>
/// <param name="ValidationLoss">Validation loss of the EMA weights.</param>
/// <param name="StepsPerSecond">Throughput so far.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, long Step, long TotalSteps, double Loss, double ValidationLoss, double StepsPerSecond)
{
    /// <summary>Learning rate after the epoch (the rate the next one starts with).</summary>
    public double LearningRate { get; init; }
}
