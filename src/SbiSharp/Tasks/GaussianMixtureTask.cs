using SbiSharp.Priors;
using SbiSharp.Simulators;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tasks;

/// <summary>sbibm's gaussian_mixture: θ ~ U[−10, 10]², x ~ ½N(θ, I) + ½N(θ, 0.01·I), the component drawn per simulation.</summary>
public static class GaussianMixtureTask
{
    /// <summary>Task name.</summary>
    public const string Name = "gaussian_mixture";

    /// <summary>Creates the task.</summary>
    public static SbiTask Create()
    {
        var prior = BoxUniformPrior.Cube(2, -10, 10);
        var simulator = new TensorSimulator(2, 2, (theta, generator) =>
        {
            using var scope = NewDisposeScope();
            var n = theta.shape[0];
            var wide = rand(new long[] { n, 1 }, dtype: theta.dtype, generator: generator).Lt(0.5);
            var scale = wide.to(theta.dtype).Mul(0.9).Add(0.1);
            return (theta.Plus(scale * randn(theta.shape, dtype: theta.dtype, generator: generator))).MoveToOuterDisposeScope();
        });
        return new SbiTask(Name, prior, simulator, new[] { "parameter_1", "parameter_2" });
    }
}
