using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>Pseudoinverse-guided diffusion (ΠGDM; Song et al. 2023, ICLR, "Pseudoinverse-guided diffusion models for inverse problems") as a denoiser wrapper:
/// MMPS's Gaussian likelihood with Tweedie's covariance replaced by the isotropic r_t² I of a unit-variance prior, r_t² = σ²/(α² + σ²).</summary>
/// <remarks>
/// p(y | x_t) ≈ N(y | A E[x | x_t], Σ_y + r_t² A Aᵀ); the linear system involves A only (no network), solved by conjugate gradients to a tight tolerance, and its score
/// Jᵀ Aᵀ u is one backward pass: the middle ground between DPS (no covariance) and MMPS (the full Tweedie covariance, one backward pass per CG iteration).
/// Exact only when the prior is N(0, I) in the denoiser's units. Where the prior is strongly correlated (a smooth field, whose low-frequency modes have variance
/// ≫ 1) the correction overshoots along those modes and the draws diverge (bench zero-shot: variance ratios of 10³ and more under blur and coarse-graining);
/// prefer MMPS there. One forward and one backward pass per call.
/// </remarks>
public sealed class PigdmDenoiser : ObservationDenoiser
{
    /// <summary>Iterations of the operator-only linear solve (stopped early at a 1e-6 relative residual).</summary>
    public const int SolverIterations = 100;

    /// <summary>Wraps <paramref name="prior"/>.</summary>
    /// <param name="prior">The prior denoiser over flattened states, in units where the prior has about unit variance per value.</param>
    /// <param name="observations">The observations.</param>
    public PigdmDenoiser(IDenoiser prior, ObservationSet observations) : base(prior, observations)
    {
    }

    private protected override Tensor Correction(TweedieLinearization linear, Tensor residual, Tensor noiseVariances)
    {
        using var scope = NewDisposeScope();
        var (alpha, sigma) = Schedule.Scales(linear.LogSnr);
        var s2 = sigma.Square().to(residual.dtype);
        var r2 = (s2 / (alpha.Square().to(residual.dtype).Plus(s2))).detach();
        Tensor Product(Tensor u) => (noiseVariances * u).Plus(Observations.Apply(Observations.Transpose(u)) * r2);
        var solution = ConjugateGradient.Solve(Product, residual, Math.Min(SolverIterations, Observations.OutputDimension), 1e-6);
        return linear.Covariance(Observations.Transpose(solution)).MoveToOuterDisposeScope();
    }
}
