namespace SbiSharp.Training;

/// <summary>How the learning rate moves during training (<see cref="TrainingOptions.Schedule"/>).</summary>
public enum LearningRateSchedule
{
    /// <summary><see cref="Plateau"/> when early stopping decides the length (<see cref="TrainingOptions.EarlyStoppingPatience"/> &gt; 0, no <see cref="TrainingOptions.MaxSteps"/>), <see cref="Cosine"/> when the length is fixed in advance.</summary>
    Auto,

    /// <summary>Linear warm-up over a fraction of the planned steps, then cosine decay to zero at the last one (<see cref="WarmupCosineSchedule"/>): for a run of known length.</summary>
    Cosine,

    /// <summary>Linear warm-up over <see cref="TrainingOptions.WarmupSteps"/>, then the peak rate, multiplied by <see cref="TrainingOptions.PlateauFactor"/> whenever the validation loss has not improved for <see cref="TrainingOptions.PlateauPatience"/> epochs (<see cref="PlateauSchedule"/>): for training to convergence, where the length is not known in advance.</summary>
    Plateau,
}
