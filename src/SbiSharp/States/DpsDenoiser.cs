using SbiSharp.Denoising;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>Diffusion posterior sampling (DPS; Chung et al. 2023, arXiv:2209.14687) as a denoiser wrapper: the plug-in likelihood p(y | x_t) ≈ N(y | A E[x | x_t], Σ_y),
/// whose score Jᵀ Aᵀ Σ_y⁻¹ (y − A E[x | x_t]) is scaled by <see cref="StepSize"/> and turned into a denoised mean by Tweedie (E += (σ²/α)·score).</summary>
/// <remarks>
/// Ignoring V[x | x_t] makes the likelihood far too sharp at high noise; the step size (Chung et al. tune ζ by hand, ours multiplies the score) trades that against
/// fit. It is approximate even for a Gaussian prior; docs/states.md reports its error next to <see cref="MmpsDenoiser"/>'s. One forward and one backward pass per call.
/// </remarks>
public sealed class DpsDenoiser : ObservationDenoiser
{
    /// <summary>Wraps <paramref name="prior"/>.</summary>
    /// <param name="prior">The prior denoiser over flattened states.</param>
    /// <param name="observations">The observations.</param>
    /// <param name="stepSize">ζ &gt; 0, the factor on the likelihood score (1: the plug-in likelihood itself).</param>
    public DpsDenoiser(IDenoiser prior, ObservationSet observations, double stepSize = 1)
        : base(prior, observations)
    {
        if (!(stepSize > 0) || !double.IsFinite(stepSize)) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"`stepSize` must be positive; got {stepSize}.");
        StepSize = stepSize;
    }

    /// <summary>ζ.</summary>
    public double StepSize { get; }

    private protected override Tensor Correction(TweedieLinearization linear, Tensor residual, Tensor noiseVariances)
    {
        using var weighted = residual / noiseVariances;
        using var back = Observations.Transpose(weighted);
        using var step = linear.Covariance(back);
        return step.Mul(StepSize);
    }
}
