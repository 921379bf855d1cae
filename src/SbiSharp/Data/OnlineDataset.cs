using SbiSharp.Internal;
using SbiSharp.Simulators;
using static TorchSharp.torch;

namespace SbiSharp.Data;

/// <summary>Simulates fresh pairs for every batch (online training): no pair is seen twice.</summary>
public sealed class OnlineDataset : ISimulationDataset
{
    /// <summary>Streams from <paramref name="joint"/>.</summary>
    public OnlineDataset(JointSampler joint)
    {
        ArgumentNullException.ThrowIfNull(joint);
        Joint = joint;
    }

    /// <summary>The prior and simulator behind the stream.</summary>
    public JointSampler Joint { get; }

    /// <inheritdoc />
    public int ParameterDimension => Joint.Prior.Dimension;

    /// <inheritdoc />
    public int ObservationDimension => Joint.Simulator.ObservationDimension;

    /// <inheritdoc />
    public long? Count => null;

    /// <inheritdoc />
    public IEnumerable<SimulationBatch> Batches(int batchSize, int batches, Generator? generator)
    {
        Check.PositiveValue(batchSize, nameof(batchSize));
        Check.PositiveValue(batches, nameof(batches));
        for (int i = 0; i < batches; i++)
            yield return Joint.Sample(batchSize, generator);
    }
}
