using static TorchSharp.torch;

namespace SbiSharp.Simulators;

/// <summary>Simulated pairs: <see cref="Theta"/> (B, Dθ) and <see cref="X"/> (B, Dx). Disposing it disposes both tensors.</summary>
/// <param name="Theta">Parameters, shape (B, Dθ).</param>
/// <param name="X">Observations, shape (B, Dx).</param>
/// <param name="Dropped">Rows dropped as invalid (only with <see cref="InvalidSimulationPolicy.Drop"/>).</param>
public sealed record SimulationBatch(Tensor Theta, Tensor X, long Dropped = 0) : IDisposable
{
    /// <summary>Number of pairs B.</summary>
    public long Count => Theta.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Theta.Dispose();
        X.Dispose();
    }
}
