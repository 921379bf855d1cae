using SbiSharp.Priors;
using SbiSharp.Simulators;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tasks;

/// <summary>sbibm's slcp, "simple likelihood, complex posterior" (Papamakarios et al. 2019): four symmetric posterior modes.</summary>
/// <remarks>
/// θ ~ U[−3, 3]⁵; m = (θ₁, θ₂), s₁ = θ₃², s₂ = θ₄², ρ = tanh θ₅, Σ = [[s₁², ρs₁s₂], [ρs₁s₂, s₂²]] + 10⁻⁶·I;
/// x = four iid draws from N(m, Σ), flattened to 8 values.
/// </remarks>
public static class SlcpTask
{
    /// <summary>Task name.</summary>
    public const string Name = "slcp";

    /// <summary>Creates the task.</summary>
    public static SbiTask Create()
    {
        var prior = BoxUniformPrior.Cube(5, -3, 3);
        var simulator = new TensorSimulator(5, 8, (theta, generator) =>
        {
            using var scope = NewDisposeScope();
            var n = theta.shape[0];
            var m1 = theta[.., 0..1];
            var m2 = theta[.., 1..2];
            var s1 = theta[.., 2..3].Square();
            var s2 = theta[.., 3..4].Square();
            var rho = theta[.., 4..5].tanh();
            var c11 = s1.Square().Add(1e-6);
            var c22 = s2.Square().Add(1e-6);
            var c12 = rho * s1 * s2;
            var l11 = c11.sqrt();
            var l21 = c12 / l11;
            var l22 = (c22 - l21.Square()).ClampMin(0).sqrt();
            var z = randn(new long[] { n, 4, 2 }, dtype: theta.dtype, generator: generator);
            var z1 = z[.., .., 0];
            var z2 = z[.., .., 1];
            var a = m1.Plus(l11 * z1);
            var b = m2.Plus(l21 * z1).Plus(l22 * z2);
            return stack(new[] { a, b }, 2).reshape(n, 8).MoveToOuterDisposeScope();
        });
        return new SbiTask(Name, prior, simulator, Enumerable.Range(1, 5).Select(i => $"parameter_{i}").ToArray());
    }
}
