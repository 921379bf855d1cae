namespace SbiSharp.Sampling;

/// <summary>RK45: the Dormand–Prince 5(4) pair on the probability-flow ODE, fixed grid or adaptive (FSAL) — the solver of MATLAB's ode45, scipy's RK45 and BayesFlow's "rk45".</summary>
/// <remarks>Dormand &amp; Prince 1980 (J. Comput. Appl. Math. 6:19). Six denoiser calls per fixed step.</remarks>
public sealed class DormandPrinceSampler : RungeKuttaSampler
{
    /// <summary>Default number of fixed steps.</summary>
    public const int DefaultSteps = 10;

    /// <summary>Creates the sampler; with <paramref name="adaptive"/> the step size is controlled and <paramref name="steps"/> only sets the first step.</summary>
    public DormandPrinceSampler(int steps = DefaultSteps, AdaptiveStepOptions? adaptive = null, double startTime = 1, double stopTime = 0)
        : base(ButcherTableau.DormandPrince, steps, startTime, stopTime, adaptive) { }

    /// <summary>Creates the sampler on an explicit time grid (strictly decreasing, in [0, 1]).</summary>
    public DormandPrinceSampler(IReadOnlyList<double> times) : base(ButcherTableau.DormandPrince, times) { }

    /// <inheritdoc />
    protected override string BaseName => "rk45";
}
