using SbiSharp.Data;

namespace SbiSharp.Training;

/// <summary>The data a training run uses, from <see cref="TrainingData.Resolve"/>; disposing it frees what was split off or drawn (never the caller's data).</summary>
public sealed class TrainingSplit : IDisposable
{
    private readonly IDisposable? _ownedTraining;
    private readonly IDisposable? _ownedValidation;

    internal TrainingSplit(ISimulationDataset training, InMemoryDataset? validation, IDisposable? ownedTraining, IDisposable? ownedValidation)
    {
        Training = training;
        Validation = validation;
        _ownedTraining = ownedTraining;
        _ownedValidation = ownedValidation;
    }

    /// <summary>What to train on (the caller's data, or its training part after a split).</summary>
    public ISimulationDataset Training { get; }

    /// <summary>The validation set, or null to stop on the training loss.</summary>
    public InMemoryDataset? Validation { get; }

    /// <summary>Whether <see cref="Validation"/> came from the training data (split off or drawn), not from the caller.</summary>
    public bool ValidationIsDerived => _ownedValidation is not null;

    /// <inheritdoc />
    public void Dispose()
    {
        _ownedTraining?.Dispose();
        _ownedValidation?.Dispose();
    }
}
