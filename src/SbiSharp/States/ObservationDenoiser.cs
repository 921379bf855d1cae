using SbiSharp.Denoising;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>Base of the zero-shot posterior denoisers: wraps a prior denoiser E[x | x_t] and linear-Gaussian observations into an estimate of E[x | x_t, y],
/// computed from the prior's output and its vector–Jacobian products at x_t; every sampler draws from the posterior unchanged.</summary>
public abstract class ObservationDenoiser : IDenoiser
{
    /// <summary>Checks and stores the parts.</summary>
    /// <param name="prior">The prior denoiser over flattened states (B, D); its condition argument is passed through.</param>
    /// <param name="observations">The observations (one or several, stacked).</param>
    /// <exception cref="ArgumentException">Observations of states of another length.</exception>
    private protected ObservationDenoiser(IDenoiser prior, ObservationSet observations)
    {
        Prior = prior ?? throw new ArgumentNullException(nameof(prior));
        Observations = observations ?? throw new ArgumentNullException(nameof(observations));
        if (observations.InputDimension != prior.ParameterDimension)
            throw new ArgumentException($"`observations` are of states of length {observations.InputDimension}; the prior's states have {prior.ParameterDimension}.", nameof(observations));
    }

    /// <summary>The prior denoiser.</summary>
    public IDenoiser Prior { get; }

    /// <summary>The observations.</summary>
    public ObservationSet Observations { get; }

    /// <inheritdoc />
    public INoiseSchedule Schedule => Prior.Schedule;

    /// <inheritdoc />
    public int ParameterDimension => Prior.ParameterDimension;

    /// <inheritdoc />
    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
    {
        Internal.Check.Matrix(thetaT, ParameterDimension, nameof(thetaT), "(flattened states)");
        using var scope = NewDisposeScope();
        using var linear = new TweedieLinearization(Prior, thetaT, logSnr, x);
        var y = Observations.Values(thetaT.dtype, thetaT.device);
        var noise = Observations.NoiseVariances(thetaT.dtype, thetaT.device);
        var residual = y - Observations.Apply(linear.Denoised);
        return linear.Denoised.Plus(Correction(linear, residual, noise)).detach().MoveToOuterDisposeScope();
    }

    /// <summary>The change of the denoised mean, (B, D), from the residual y − A E[x | x_t] (B, M) and the diagonal of Σ_y (1, M).</summary>
    private protected abstract Tensor Correction(TweedieLinearization linear, Tensor residual, Tensor noiseVariances);
}
