using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>Predictor–corrector sampling: Langevin corrector steps at each grid time, then an Euler–Maruyama predictor step (Song et al. 2021, arXiv:2011.13456, Alg. 1, 4, 5).</summary>
/// <remarks>
/// Corrector: θ ← θ + ε s + √(2ε) z with ε = 2 (r·mean‖z‖/mean‖s‖)² (norms per row, averaged over the batch), s the score at the current time and r the target
/// signal-to-noise ratio (0.16 in Song et al.). 1 + <see cref="CorrectorSteps"/> denoiser calls per step.
/// </remarks>
public sealed class LangevinCorrectorSampler : FixedGridSampler
{
    /// <summary>Default number of steps.</summary>
    public const int DefaultSteps = 250;

    /// <summary>Default target signal-to-noise ratio r.</summary>
    public const double DefaultSnr = 0.16;

    /// <summary>Creates the sampler.</summary>
    /// <param name="steps">Predictor steps.</param>
    /// <param name="correctorSteps">Langevin steps per predictor step, at least 1.</param>
    /// <param name="snr">Target signal-to-noise ratio r &gt; 0 of the Langevin step.</param>
    /// <param name="startTime">Start time in (0, 1].</param>
    /// <param name="stopTime">Stop time in [0, startTime).</param>
    public LangevinCorrectorSampler(int steps = DefaultSteps, int correctorSteps = 1, double snr = DefaultSnr, double startTime = 1, double stopTime = 0)
        : base(steps, startTime, stopTime)
    {
        Internal.Check.PositiveValue(correctorSteps, nameof(correctorSteps));
        Internal.Check.PositiveValue(snr, nameof(snr));
        CorrectorSteps = correctorSteps;
        Snr = snr;
    }

    /// <summary>Langevin steps per predictor step.</summary>
    public int CorrectorSteps { get; }

    /// <summary>Target signal-to-noise ratio r.</summary>
    public double Snr { get; }

    /// <inheritdoc />
    public override int EvaluationsPerStep => 1 + CorrectorSteps;

    /// <inheritdoc />
    public override string Name => $"langevin-pc-{Steps}x{CorrectorSteps}";

    /// <inheritdoc />
    protected override Tensor Step(IDenoiser denoiser, Tensor thetaT, double t, double s, Tensor x, Generator? generator, SamplerHistory history)
    {
        var theta = thetaT;
        for (int j = 0; j < CorrectorSteps; j++)
        {
            var (score, _, _) = Score(denoiser, theta, t, x);
            var z = randn(theta.shape, dtype: theta.dtype, device: theta.device, generator: generator);
            // Norms averaged over the batch as in Song et al.'s reference code: a per-row ratio explodes where a row's score crosses zero.
            var ratio = Snr * z.norm(1).mean().item<float>() / Math.Max(score.norm(1).mean().item<float>(), 1e-12);
            var epsilon = 2 * ratio * ratio;
            theta = theta.Plus(score.Mul(epsilon)).Plus(z.Mul(Math.Sqrt(2 * epsilon)));
        }
        var h = s - t;
        var (drift, g2) = Drift(denoiser, theta, t, x, scoreFactor: 1.0);
        var noise = randn(theta.shape, dtype: theta.dtype, device: theta.device, generator: generator);
        return theta.Plus(drift.Mul(h)).Plus(noise.Mul(Math.Sqrt(g2 * -h)));
    }
}
