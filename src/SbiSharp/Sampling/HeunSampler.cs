using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>Heun's second-order method on the probability-flow ODE dθ/dt = f θ − ½ g² ∇log p_t (Karras et al. 2022, arXiv:2206.00364, Alg. 1).</summary>
/// <remarks>Deterministic given the initial noise; two denoiser calls per step.</remarks>
public sealed class HeunSampler : FixedGridSampler
{
    /// <summary>Default number of steps.</summary>
    public const int DefaultSteps = 30;

    /// <summary>Creates the sampler.</summary>
    public HeunSampler(int steps = DefaultSteps, double startTime = 1, double stopTime = 0) : base(steps, startTime, stopTime) { }

    /// <summary>Creates the sampler on an explicit time grid (strictly decreasing, in [0, 1]).</summary>
    public HeunSampler(IReadOnlyList<double> times) : base(times) { }

    /// <inheritdoc />
    public override int EvaluationsPerStep => 2;

    /// <inheritdoc />
    public override string Name => $"heun-{Steps}";

    /// <inheritdoc />
    protected override Tensor Step(IDenoiser denoiser, Tensor thetaT, double t, double s, Tensor x, Generator? generator, SamplerHistory history)
    {
        var h = s - t;
        var (d1, _) = Drift(denoiser, thetaT, t, x, scoreFactor: 0.5);
        var euler = thetaT.Plus(d1.Mul(h));
        var (d2, _) = Drift(denoiser, euler, s, x, scoreFactor: 0.5);
        return thetaT.Plus((d1.Plus(d2)).Mul(0.5 * h));
    }
}
