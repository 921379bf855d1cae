using SbiSharp.Priors;
using SbiSharp.Simulators;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tasks;

/// <summary>sbibm's gaussian_linear_uniform: θ ~ U[−1, 1]¹⁰, x ~ N(θ, 0.1·I); posterior N(x, 0.1·I) truncated to the box.</summary>
public static class GaussianLinearUniformTask
{
    /// <summary>Task name.</summary>
    public const string Name = "gaussian_linear_uniform";

    /// <summary>Creates the task.</summary>
    public static SbiTask Create(int dimension = 10)
    {
        var prior = BoxUniformPrior.Cube(dimension, -1, 1);
        var simulator = new TensorSimulator(dimension, dimension,
            (theta, generator) => theta.Plus(randn(theta.shape, dtype: theta.dtype, generator: generator).Mul(Math.Sqrt(0.1))));
        return new SbiTask(Name, prior, simulator, Enumerable.Range(1, dimension).Select(i => $"parameter_{i}").ToArray());
    }
}
