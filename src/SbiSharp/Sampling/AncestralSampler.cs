using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>Ancestral sampling (DDPM; DDIM with η = 1): each step draws from the exact Gaussian transition of the forward process given the denoised mean.</summary>
/// <remarks>
/// Ho et al. 2020 (arXiv:2006.11239), Song et al. 2021 (DDIM, arXiv:2010.02502). With r = e^{λ_t − λ_s} ∈ (0, 1) and
/// ε̂ = (θ_t − α_t D)/σ_t: θ_s = α_s D + σ_s (√r ε̂ + √(1 − r) z). A first-order discretization of the reverse SDE that is
/// exact in the linear part, so unlike Euler–Maruyama in t it stays stable where the schedule is stiff (the rectified-flow path
/// near t = 1, where d log α/dt → −∞). One denoiser call per step; no noise on the last step to t = 0.
/// </remarks>
public sealed class AncestralSampler : FixedGridSampler
{
    /// <summary>Default number of steps.</summary>
    public const int DefaultSteps = 100;

    /// <summary>Creates the sampler.</summary>
    public AncestralSampler(int steps = DefaultSteps, double startTime = 1, double stopTime = 0) : base(steps, startTime, stopTime) { }

    /// <summary>Creates the sampler on an explicit time grid (strictly decreasing, in [0, 1]).</summary>
    public AncestralSampler(IReadOnlyList<double> times) : base(times) { }

    /// <inheritdoc />
    public override int EvaluationsPerStep => 1;

    /// <inheritdoc />
    public override string Name => $"ancestral-{Steps}";

    /// <inheritdoc />
    protected override Tensor Step(IDenoiser denoiser, Tensor thetaT, double t, double s, Tensor x, Generator? generator, SamplerHistory history)
    {
        var schedule = denoiser.Schedule;
        double logSnrT = schedule.LogSnr(t), logSnrS = schedule.LogSnr(s);
        var (alphaT, sigmaT) = schedule.Scales(logSnrT);
        var (alphaS, sigmaS) = schedule.Scales(logSnrS);
        using var lambda = ScalarMath.Full(new[] { thetaT.shape[0], 1L }, logSnrT, dtype: thetaT.dtype, device: thetaT.device);
        var denoised = denoiser.Denoise(thetaT, lambda, x);
        var noise = DenoiserMath.Noise(thetaT, denoised, alphaT, sigmaT);
        var r = Math.Exp(logSnrT - logSnrS);
        var mean = denoised.Mul(alphaS).Plus(noise.Mul(sigmaS * Math.Sqrt(r)));
        if (s <= 0) return mean;
        var z = randn(thetaT.shape, dtype: thetaT.dtype, device: thetaT.device, generator: generator);
        return mean.Plus(z.Mul(sigmaS * Math.Sqrt(1 - r)));
    }
}
