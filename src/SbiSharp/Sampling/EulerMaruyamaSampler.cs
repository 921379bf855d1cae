using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>Euler–Maruyama on the reverse SDE dθ = [f θ − g² ∇log p_t] dt + g dW̄ (Song et al. 2021, arXiv:2011.13456).</summary>
/// <remarks>θ_s = θ_t + drift·(s − t) + g √(t − s) ξ, ξ ~ N(0, I). One denoiser call per step; BayesFlow's reference uses 500 steps.</remarks>
public sealed class EulerMaruyamaSampler : FixedGridSampler
{
    /// <summary>Default number of steps.</summary>
    public const int DefaultSteps = 500;

    /// <summary>Creates the sampler.</summary>
    public EulerMaruyamaSampler(int steps = DefaultSteps, double startTime = 1, double stopTime = 0) : base(steps, startTime, stopTime) { }

    /// <summary>Creates the sampler on an explicit time grid (strictly decreasing, in [0, 1]).</summary>
    public EulerMaruyamaSampler(IReadOnlyList<double> times) : base(times) { }

    /// <inheritdoc />
    public override int EvaluationsPerStep => 1;

    /// <inheritdoc />
    public override string Name => $"euler-maruyama-{Steps}";

    /// <inheritdoc />
    protected override Tensor Step(IDenoiser denoiser, Tensor thetaT, double t, double s, Tensor x, Generator? generator, SamplerHistory history)
    {
        var h = s - t;
        var (drift, g2) = Drift(denoiser, thetaT, t, x, scoreFactor: 1.0);
        var noise = randn(thetaT.shape, dtype: thetaT.dtype, device: thetaT.device, generator: generator);
        return thetaT.Plus(drift.Mul(h)).Plus(noise.Mul(Math.Sqrt(g2 * -h)));
    }
}
