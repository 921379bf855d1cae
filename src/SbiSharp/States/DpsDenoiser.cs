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
public sealed class DpsDenoiser : IDenoiser
{
    private readonly IDenoiser _prior;

    /// <summary>Wraps <paramref name="prior"/>.</summary>
    /// <param name="prior">The prior denoiser over flattened states.</param>
    /// <param name="observations">The observations.</param>
    /// <param name="stepSize">ζ &gt; 0, the factor on the likelihood score (1: the plug-in likelihood itself).</param>
    public DpsDenoiser(IDenoiser prior, ObservationSet observations, double stepSize = 1)
    {
        _prior = prior ?? throw new ArgumentNullException(nameof(prior));
        Observations = observations ?? throw new ArgumentNullException(nameof(observations));
        if (observations.InputDimension != prior.ParameterDimension)
            throw new ArgumentException($"`observations` are of states of length {observations.InputDimension}; the prior's states have {prior.ParameterDimension}.", nameof(observations));
        if (!(stepSize > 0) || !double.IsFinite(stepSize)) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"`stepSize` must be positive; got {stepSize}.");
        StepSize = stepSize;
    }

    /// <summary>The observations.</summary>
    public ObservationSet Observations { get; }

    /// <summary>ζ.</summary>
    public double StepSize { get; }

    /// <inheritdoc />
    public INoiseSchedule Schedule => _prior.Schedule;

    /// <inheritdoc />
    public int ParameterDimension => _prior.ParameterDimension;

    /// <inheritdoc />
    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
    {
        Internal.Check.Matrix(thetaT, ParameterDimension, nameof(thetaT), "(flattened states)");
        using var scope = NewDisposeScope();
        using var linear = new TweedieLinearization(_prior, thetaT, logSnr, x);
        var y = Observations.Values(thetaT.dtype, thetaT.device);
        var noise = Observations.NoiseVariances(thetaT.dtype, thetaT.device);
        var weighted = (y - Observations.Apply(linear.Denoised)) / noise;
        var correction = linear.Covariance(Observations.Transpose(weighted)).Mul(StepSize);
        return linear.Denoised.Plus(correction).detach().MoveToOuterDisposeScope();
    }
}
