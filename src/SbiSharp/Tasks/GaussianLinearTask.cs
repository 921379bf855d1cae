using SbiSharp.Priors;
using SbiSharp.Simulators;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tasks;

/// <summary>sbibm's gaussian_linear: θ ~ N(0, 0.1·I₁₀), x ~ N(θ, 0.1·I₁₀); exact posterior N(x/2, 0.05·I).</summary>
public static class GaussianLinearTask
{
    /// <summary>Task name.</summary>
    public const string Name = "gaussian_linear";

    /// <summary>Prior and likelihood variance.</summary>
    public const double Variance = 0.1;

    /// <summary>Creates the task in <paramref name="dimension"/> dimensions (sbibm: 10).</summary>
    public static SbiTask Create(int dimension = 10)
    {
        var prior = DiagonalGaussianPrior.Isotropic(dimension, Variance);
        var simulator = new TensorSimulator(dimension, dimension,
            (theta, generator) => theta.Plus(randn(theta.shape, dtype: theta.dtype, generator: generator).Mul(Math.Sqrt(Variance))));
        return new SbiTask(Name, prior, simulator, Enumerable.Range(1, dimension).Select(i => $"parameter_{i}").ToArray());
    }
}
