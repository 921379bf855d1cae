using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>Base of the explicit 5(4) Runge–Kutta solvers of the probability-flow ODE on a fixed grid (the fifth-order solution, <c>Stages</c> denoiser calls per step).</summary>
/// <remarks>The same pairs with error control are <see cref="AdaptiveRungeKuttaSampler"/>.</remarks>
public abstract class RungeKuttaSampler : FixedGridSampler
{
    private readonly ButcherTableau _tableau;

    private protected RungeKuttaSampler(ButcherTableau tableau, int steps, double startTime, double stopTime) : base(steps, startTime, stopTime) => _tableau = tableau;

    private protected RungeKuttaSampler(ButcherTableau tableau, IReadOnlyList<double> times) : base(times) => _tableau = tableau;

    /// <inheritdoc />
    public override int EvaluationsPerStep => _tableau.Stages;

    /// <summary>The solver's name without step count, e.g. "rk45".</summary>
    protected abstract string BaseName { get; }

    /// <inheritdoc />
    public override string Name => $"{BaseName}-{Steps}";

    /// <inheritdoc />
    protected override Tensor Step(IDenoiser denoiser, Tensor thetaT, double t, double s, Tensor x, Generator? generator, SamplerHistory history) =>
        RungeKuttaStep.Attempt(_tableau, denoiser, thetaT, t, s - t, x, null, withError: false).Solution;
}
