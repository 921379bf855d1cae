using SbiSharp.Simulators;
using static TorchSharp.torch;

namespace SbiSharp.Data;

/// <summary>A source of (θ, x) training pairs that streams batches; in memory, simulated on the fly, or read from shards.</summary>
public interface ISimulationDataset
{
    /// <summary>Dθ.</summary>
    int ParameterDimension { get; }

    /// <summary>Dx.</summary>
    int ObservationDimension { get; }

    /// <summary>Pairs in one pass, or null when every pass simulates fresh pairs (online training).</summary>
    long? Count { get; }

    /// <summary>One pass over the data in batches of at most <paramref name="batchSize"/> rows.</summary>
    /// <remarks>Each yielded batch belongs to the caller, who disposes it.</remarks>
    /// <param name="batchSize">Rows per batch, positive.</param>
    /// <param name="batches">Number of batches for an online source; ignored by a finite one (it yields all of its data).</param>
    /// <param name="generator">Shuffling or simulation randomness.</param>
    IEnumerable<SimulationBatch> Batches(int batchSize, int batches, Generator? generator);
}
