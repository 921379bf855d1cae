namespace SbiSharp.Sampling;

/// <summary>Tsit5: the Tsitouras 5(4) pair on the probability-flow ODE on a fixed grid (with error control: <see cref="AdaptiveRungeKuttaSampler.Tsitouras"/>).</summary>
/// <remarks>Tsitouras 2011 (Comput. Math. Appl. 62:770); coefficients as in DifferentialEquations.jl and BayesFlow. Six denoiser calls per fixed step.</remarks>
public sealed class Tsit5Sampler : RungeKuttaSampler
{
    /// <summary>Default number of steps.</summary>
    public const int DefaultSteps = 10;

    /// <summary>Creates the sampler on a uniform grid of <paramref name="steps"/> steps.</summary>
    public Tsit5Sampler(int steps = DefaultSteps, double startTime = 1, double stopTime = 0)
        : base(ButcherTableau.Tsitouras, steps, startTime, stopTime) { }

    /// <summary>Creates the sampler on an explicit time grid (strictly decreasing, in [0, 1]).</summary>
    public Tsit5Sampler(IReadOnlyList<double> times) : base(ButcherTableau.Tsitouras, times) { }

    /// <inheritdoc />
    protected override string BaseName => "tsit5";
}
