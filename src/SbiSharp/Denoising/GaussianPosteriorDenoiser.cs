using SbiSharp.Internal;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>The exact denoiser of a Gaussian posterior in a linear-Gaussian model: the oracle for testing samplers without training.</summary>
/// <remarks>
/// Model (independent per dimension): θ ~ N(μ₀, v₀), x | θ ~ N(θ, v₁). Posterior N(m, v) with v = (1/v₀ + 1/v₁)⁻¹ and
/// m = v(μ₀/v₀ + x/v₁). For θ_t = αθ + σε: E[θ | θ_t, x] = m + vα/(α²v + σ²)·(θ_t − αm).
/// sbibm's gaussian_linear is μ₀ = 0, v₀ = v₁ = 0.1, giving N(x/2, 0.05·I).
/// </remarks>
public sealed class GaussianPosteriorDenoiser : IDenoiser
{
    /// <summary>Creates the oracle.</summary>
    /// <param name="schedule">Noise schedule.</param>
    /// <param name="dimension">Dθ = Dx.</param>
    /// <param name="priorMean">μ₀.</param>
    /// <param name="priorVariance">v₀ &gt; 0.</param>
    /// <param name="noiseVariance">v₁ &gt; 0.</param>
    public GaussianPosteriorDenoiser(INoiseSchedule schedule, int dimension, double priorMean, double priorVariance, double noiseVariance)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Check.PositiveValue(dimension, nameof(dimension));
        Check.PositiveValue(priorVariance, nameof(priorVariance));
        Check.PositiveValue(noiseVariance, nameof(noiseVariance));
        Schedule = schedule;
        ParameterDimension = dimension;
        PriorMean = priorMean;
        PriorVariance = priorVariance;
        NoiseVariance = noiseVariance;
    }

    /// <inheritdoc />
    public INoiseSchedule Schedule { get; }

    /// <inheritdoc />
    public int ParameterDimension { get; }

    /// <summary>μ₀.</summary>
    public double PriorMean { get; }

    /// <summary>v₀.</summary>
    public double PriorVariance { get; }

    /// <summary>v₁.</summary>
    public double NoiseVariance { get; }

    /// <summary>Posterior variance v.</summary>
    public double PosteriorVariance => 1 / (1 / PriorVariance + 1 / NoiseVariance);

    /// <summary>Posterior mean m(x), (B, D).</summary>
    public Tensor PosteriorMean(Tensor x) => (x.Div(NoiseVariance).Add(PriorMean / PriorVariance)).Mul(PosteriorVariance);

    /// <inheritdoc />
    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
    {
        Check.Matrix(thetaT, ParameterDimension, nameof(thetaT), "to match the denoiser's dimension");
        Check.Matrix(x, ParameterDimension, nameof(x), "to match the denoiser's dimension");
        using var scope = NewDisposeScope();
        var (alpha, sigma) = Schedule.Scales(logSnr.to(ScalarType.Float64));
        var v = PosteriorVariance;
        var m = PosteriorMean(x.to(ScalarType.Float64));
        var gain = alpha.Mul(v) / (alpha.Square().Mul(v).Plus(sigma.Square()));
        var result = m.Plus(gain * (thetaT.to(ScalarType.Float64) - alpha * m));
        return result.to(thetaT.dtype).MoveToOuterDisposeScope();
    }
}
