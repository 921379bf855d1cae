using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>Batched conjugate gradients for K u = b with K symmetric positive definite per row, given as a product u ↦ K u on (B, M).</summary>
internal static class ConjugateGradient
{
    /// <summary>u after at most <paramref name="iterations"/> iterations from u₀ = 0 (u₁ is the steepest-descent step along b); stops early once every row's
    /// residual is at most <paramref name="tolerance"/>·‖b‖ (0: always all iterations); rows that converge stop moving.</summary>
    /// <remarks>A row whose search direction has
    /// non-positive curvature pᵀKp stops for good at its current iterate: a learned denoiser's Jacobian need not be positive definite, and a step along such a
    /// direction would be unbounded.</remarks>
    public static Tensor Solve(Func<Tensor, Tensor> product, Tensor b, int iterations, double tolerance = 0)
    {
        using var scope = NewDisposeScope();
        var u = zeros_like(b);
        var r = b.clone();
        var p = b.clone();
        var rr = r.Square().sum(1, keepdim: true);
        double tiny;
        using (var largest = rr.max()) using (var wide = largest.to(ScalarType.Float64)) tiny = wide.item<double>() * 1e-30;
        using var stop = rr.Mul(tolerance * tolerance);
        var alive = ones_like(rr, dtype: ScalarType.Bool);
        for (int k = 0; k < iterations; k++)
        {
            if (tolerance > 0)
            {
                using var converged = rr.le(stop).all();
                if (converged.item<bool>()) break;
            }
            using var inner = NewDisposeScope();
            var kp = product(p);
            var curvature = (p * kp).sum(1, keepdim: true);
            alive = alive.logical_and(curvature.Gt(0)).MoveToOuterDisposeScope();
            var step = rr / curvature.ClampMin(tiny + double.Epsilon);
            var active = rr.Gt(tiny).logical_and(alive);
            step = where(active, step, zeros_like(step));
            u = u.Plus(step * p).MoveToOuterDisposeScope();
            r = (r - step * kp).MoveToOuterDisposeScope();
            var rrNext = r.Square().sum(1, keepdim: true);
            var beta = rrNext / rr.ClampMin(tiny + double.Epsilon);
            p = r.Plus(beta * p).MoveToOuterDisposeScope();
            rr = rrNext.MoveToOuterDisposeScope();
        }
        return u.MoveToOuterDisposeScope();
    }
}
