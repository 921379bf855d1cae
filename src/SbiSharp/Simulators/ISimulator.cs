using static TorchSharp.torch;

namespace SbiSharp.Simulators;

/// <summary>A stochastic simulator x ~ p(x | θ), batched over rows.</summary>
public interface ISimulator
{
    /// <summary>Number of parameters Dθ the simulator takes.</summary>
    int ParameterDimension { get; }

    /// <summary>Number of observed values Dx it returns.</summary>
    int ObservationDimension { get; }

    /// <summary>Simulates one observation per row of <paramref name="theta"/>.</summary>
    /// <param name="theta">Parameters, shape (B, Dθ).</param>
    /// <param name="generator">Random generator; null uses torch's global generator.</param>
    /// <returns>Observations, shape (B, Dx). The caller validates shape and finiteness.</returns>
    Tensor Simulate(Tensor theta, Generator? generator = null);
}
