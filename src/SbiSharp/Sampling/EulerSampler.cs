using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>Euler's method on the probability-flow ODE dθ/dt = f θ − ½ g² ∇log p_t (Song et al. 2021, arXiv:2011.13456); for flow matching, plain Euler on the learned velocity.</summary>
/// <remarks>First order, one denoiser call per step, deterministic given the initial noise.</remarks>
public sealed class EulerSampler : FixedGridSampler
{
    /// <summary>Default number of steps.</summary>
    public const int DefaultSteps = 100;

    /// <summary>Creates the sampler.</summary>
    public EulerSampler(int steps = DefaultSteps, double startTime = 1, double stopTime = 0) : base(steps, startTime, stopTime) { }

    /// <summary>Creates the sampler on an explicit time grid (strictly decreasing, in [0, 1]).</summary>
    public EulerSampler(IReadOnlyList<double> times) : base(times) { }

    /// <inheritdoc />
    public override int EvaluationsPerStep => 1;

    /// <inheritdoc />
    public override string Name => $"euler-{Steps}";

    /// <inheritdoc />
    protected override Tensor Step(IDenoiser denoiser, Tensor thetaT, double t, double s, Tensor x, Generator? generator, SamplerHistory history)
    {
        var (drift, _) = Drift(denoiser, thetaT, t, x, scoreFactor: 0.5);
        return thetaT.Plus(drift.Mul((s - t)));
    }
}
