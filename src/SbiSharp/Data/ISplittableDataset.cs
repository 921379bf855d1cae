namespace SbiSharp.Data;

/// <summary>A finite data set that can hold out a validation part (the default validation source of training).</summary>
public interface ISplittableDataset : ISimulationDataset
{
    /// <summary>Splits off a random validation set of round(fraction·N) pairs; both parts belong to the caller.</summary>
    /// <param name="validationFraction">Fraction in (0, 1).</param>
    /// <param name="generator">Randomness of the split.</param>
    (ISimulationDataset Train, InMemoryDataset Validation) SplitValidation(double validationFraction, TorchSharp.torch.Generator? generator);
}
