namespace SbiSharp.Training;

/// <summary>An objective whose loss changes over training (a discretization curriculum, a warm-up): the <see cref="Trainer"/> tells it the step.</summary>
/// <remarks>The step counts gradient steps taken before the batch, restored on resume, so a resumed run continues the same curriculum.</remarks>
public interface IProgressiveObjective : ITrainingObjective
{
    /// <summary>Called before every training batch's loss with the steps taken so far, and with null before validation, which uses the final settings so that
    /// validation losses of different epochs compare.</summary>
    /// <param name="step">Steps taken, or null for validation.</param>
    /// <param name="totalSteps">The most steps this run takes (its planned length).</param>
    void SetStep(long? step, long totalSteps);
}
