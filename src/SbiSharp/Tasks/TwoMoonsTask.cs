using SbiSharp.Priors;
using SbiSharp.Simulators;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tasks;

/// <summary>sbibm's two_moons (Greenberg et al. 2019): θ ~ U[−1, 1]², a crescent-shaped bimodal posterior.</summary>
/// <remarks>a ~ U(−π/2, π/2), r ~ N(0.1, 0.01²), p = (r cos a + 0.25, r sin a); x₁ = p₁ − |θ₁ + θ₂|/√2, x₂ = p₂ + (θ₂ − θ₁)/√2.</remarks>
public static class TwoMoonsTask
{
    /// <summary>Task name.</summary>
    public const string Name = "two_moons";

    /// <summary>Creates the task.</summary>
    public static SbiTask Create()
    {
        var prior = BoxUniformPrior.Cube(2, -1, 1);
        var simulator = new TensorSimulator(2, 2, (theta, generator) =>
        {
            using var scope = NewDisposeScope();
            var n = theta.shape[0];
            var a = (rand(new long[] { n }, dtype: theta.dtype, generator: generator).Sub(0.5)).Mul(Math.PI);
            var r = randn(new long[] { n }, dtype: theta.dtype, generator: generator).Mul(0.01).Add(0.1);
            var p1 = (r * a.cos()).Add(0.25);
            var p2 = r * a.sin();
            var t1 = theta[.., 0];
            var t2 = theta[.., 1];
            var x1 = p1 - (t1.Plus(t2)).abs().Div(Math.Sqrt(2));
            var x2 = p2.Plus((t2 - t1).Div(Math.Sqrt(2)));
            return stack(new[] { x1, x2 }, 1).MoveToOuterDisposeScope();
        });
        return new SbiTask(Name, prior, simulator, new[] { "parameter_1", "parameter_2" });
    }
}
