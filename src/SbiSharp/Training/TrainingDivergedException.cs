namespace SbiSharp.Training;

/// <summary>The training loss became NaN or infinite; the model is left at its last finite weights.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(long step, double loss)
        : base($"Training diverged: the loss at step {step} is {loss}. Lower the learning rate (now set by TrainingOptions.LearningRate), " +
               "check the data for extreme values, or tighten GradientClipNorm.")
    {
        Step = step;
        Loss = loss;
    }

    /// <summary>The 0-based step at which the loss was not finite.</summary>
    public long Step { get; }

    /// <summary>The non-finite loss.</summary>
    public double Loss { get; }
}
