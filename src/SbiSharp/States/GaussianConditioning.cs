using SbiSharp.Torch;
using static TorchSharp.torch;

namespace SbiSharp.States;

/// <summary>Dense Gaussian conditioning: the posterior of x ~ N(μ, C) given linear-Gaussian observations y = A x + η, η ~ N(0, Σ_y).</summary>
internal static class GaussianConditioning
{
    /// <summary>Mean (D) and covariance (D, D), float64: μ + CAᵀ(ACAᵀ + Σ_y)⁻¹(y − Aμ) and C − CAᵀ(ACAᵀ + Σ_y)⁻¹AC.</summary>
    public static (Tensor Mean, Tensor Covariance) Condition(Tensor? priorMean, Tensor covariance, ObservationSet observations)
    {
        using var scope = NewDisposeScope();
        var c = covariance.to(ScalarType.Float64);
        var d = c.shape[0];
        var transposeA = observations.Apply(eye(d, dtype: ScalarType.Float64));
        var a = transposeA.T;
        var gain = c.matmul(transposeA);
        var system = a.matmul(gain).Plus(diag(observations.NoiseVariances(ScalarType.Float64).squeeze(0)));
        var mu = priorMean?.to(ScalarType.Float64).reshape(1, d) ?? zeros(1, d, dtype: ScalarType.Float64);
        // One solve for both: (ACAᵀ + Σ_y)⁻¹ [AC | y − Aμ].
        var residual = (observations.Values(ScalarType.Float64) - observations.Apply(mu)).T;
        var solved = linalg.solve(system, cat(new[] { gain.T, residual }, 1));
        var mean = mu.squeeze(0).Plus(gain.matmul(solved[.., ^1]));
        var posterior = c - gain.matmul(solved[.., ..^1]);
        return (mean.MoveToOuterDisposeScope(), posterior.MoveToOuterDisposeScope());
    }
}
