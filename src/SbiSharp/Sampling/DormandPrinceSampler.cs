namespace SbiSharp.Sampling;

/// <summary>RK45: the Dormand–Prince 5(4) pair on the probability-flow ODE on a fixed grid — the solver of MATLAB's ode45, scipy's RK45 and BayesFlow's "rk45" (with error control: <see cref="AdaptiveRungeKuttaSampler.DormandPrince"/>).</summary>
/// <remarks>Dormand &amp; Prince 1980 (J. Comput. Appl. Math. 6:19). Six denoiser calls per fixed step.</remarks>
public sealed class DormandPrinceSampler : RungeKuttaSampler
{
    /// <summary>Default number of steps.</summary>
    public const int DefaultSteps = 10;

    /// <summary>Creates the sampler on a uniform grid of <paramref name="steps"/> steps.</summary>
    public DormandPrinceSampler(int steps = DefaultSteps, double startTime = 1, double stopTime = 0)
        : base(ButcherTableau.DormandPrince, steps, startTime, stopTime) { }

    /// <summary>Creates the sampler on an explicit time grid (strictly decreasing, in [0, 1]).</summary>
    public DormandPrinceSampler(IReadOnlyList<double> times) : base(ButcherTableau.DormandPrince, times) { }

    /// <inheritdoc />
    protected override string BaseName => "rk45";
}
