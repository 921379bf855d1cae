using SbiSharp.Internal;
using SbiSharp.Noise;
using SbiSharp.Torch;
using static TorchSharp.torch;

namespace SbiSharp.Denoising;

/// <summary>The exact consistency function of a Gaussian posterior in a linear-Gaussian model: the oracle for testing consistency samplers without training.</summary>
/// <remarks>
/// Model as <see cref="GaussianPosteriorDenoiser"/>: posterior N(m, v) per dimension, so θ_t ~ N(αm, α²v + σ²). The probability-flow ODE of a Gaussian moves every
/// point along its z-score, so its solution map from θ_t to t = 0 is f(θ_t) = m + √v·(θ_t − αm)/√(α²v + σ²). Unlike the denoiser's posterior mean, this is a
/// draw: f of a draw of θ_t is a draw of the posterior.
/// </remarks>
public sealed class GaussianConsistencyFunction : IDenoiser
{
    private readonly GaussianPosteriorDenoiser _posterior;

    /// <summary>Creates the oracle (arguments as <see cref="GaussianPosteriorDenoiser"/>).</summary>
    public GaussianConsistencyFunction(INoiseSchedule schedule, int dimension, double priorMean, double priorVariance, double noiseVariance) =>
        _posterior = new GaussianPosteriorDenoiser(schedule, dimension, priorMean, priorVariance, noiseVariance);

    /// <inheritdoc />
    public INoiseSchedule Schedule => _posterior.Schedule;

    /// <inheritdoc />
    public int ParameterDimension => _posterior.ParameterDimension;

    /// <summary>The posterior's exact denoiser (the same model).</summary>
    public GaussianPosteriorDenoiser Posterior => _posterior;

    /// <summary>f(θ_t) = m + √v·(θ_t − αm)/√(α²v + σ²), (B, D), a fresh tensor.</summary>
    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
    {
        Check.Matrix(thetaT, ParameterDimension, nameof(thetaT), "to match the oracle's dimension");
        Check.Matrix(x, ParameterDimension, nameof(x), "to match the oracle's dimension");
        using var scope = NewDisposeScope();
        var (alpha, sigma) = Schedule.Scales(logSnr.to(ScalarType.Float64));
        var v = _posterior.PosteriorVariance;
        var m = _posterior.PosteriorMean(x.to(ScalarType.Float64));
        var gain = (alpha.Square().Mul(v).Plus(sigma.Square())).sqrt().RDiv(Math.Sqrt(v));
        var result = m.Plus(gain * (thetaT.to(ScalarType.Float64) - alpha * m));
        return result.to(thetaT.dtype).MoveToOuterDisposeScope();
    }
}
