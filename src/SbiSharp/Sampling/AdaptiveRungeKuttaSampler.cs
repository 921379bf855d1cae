using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>An embedded 5(4) Runge–Kutta pair on the probability-flow ODE with error control: <see cref="DormandPrince"/> (MATLAB's ode45, scipy's and BayesFlow's "rk45") or <see cref="Tsitouras"/> (Tsit5).</summary>
/// <remarks>
/// The embedded error estimate controls the step (see <see cref="AdaptiveStepOptions"/>), the last stage is reused as the next
/// step's first (FSAL), and the network evaluations actually spent are counted in <see cref="SamplingRun"/>. One step size serves
/// the whole batch, so the error is the RMS over all rows.
/// </remarks>
public sealed class AdaptiveRungeKuttaSampler : AdaptiveSampler
{
    private readonly ButcherTableau _tableau;
    private readonly string _baseName;

    private AdaptiveRungeKuttaSampler(ButcherTableau tableau, string baseName, AdaptiveStepOptions? options, int initialSteps, double startTime, double stopTime)
        : base(startTime, stopTime)
    {
        Internal.Check.PositiveValue(initialSteps, nameof(initialSteps));
        _tableau = tableau;
        _baseName = baseName;
        Options = (options ?? AdaptiveStepOptions.Default).Validate();
        InitialSteps = initialSteps;
    }

    /// <summary>Dormand–Prince 5(4) with error control (Dormand &amp; Prince 1980).</summary>
    /// <param name="options">Tolerances and step bounds; null: the defaults.</param>
    /// <param name="initialSteps">The first step is the time span divided by this.</param>
    /// <param name="startTime">Start time in (0, 1].</param>
    /// <param name="stopTime">Stop time in [0, startTime).</param>
    public static AdaptiveRungeKuttaSampler DormandPrince(AdaptiveStepOptions? options = null, int initialSteps = DormandPrinceSampler.DefaultSteps, double startTime = 1, double stopTime = 0) =>
        new(ButcherTableau.DormandPrince, "rk45", options, initialSteps, startTime, stopTime);

    /// <summary>Tsitouras 5(4) with error control (Tsitouras 2011).</summary>
    /// <param name="options">Tolerances and step bounds; null: the defaults.</param>
    /// <param name="initialSteps">The first step is the time span divided by this.</param>
    /// <param name="startTime">Start time in (0, 1].</param>
    /// <param name="stopTime">Stop time in [0, startTime).</param>
    public static AdaptiveRungeKuttaSampler Tsitouras(AdaptiveStepOptions? options = null, int initialSteps = Tsit5Sampler.DefaultSteps, double startTime = 1, double stopTime = 0) =>
        new(ButcherTableau.Tsitouras, "tsit5", options, initialSteps, startTime, stopTime);

    /// <summary>Error control.</summary>
    public AdaptiveStepOptions Options { get; }

    /// <summary>The first step is the time span divided by this.</summary>
    public int InitialSteps { get; }

    /// <inheritdoc />
    public override string Name => $"{_baseName}-adaptive-rtol{Options.RelativeTolerance:G2}";

    /// <inheritdoc />
    protected override (Tensor Theta, int Accepted, int Rejected) IntegrateAdaptively(IDenoiser denoiser, Tensor initial, Tensor x, Generator? generator, IProgress<int>? progress)
    {
        var options = Options;
        var y = initial;
        double t = StartTime, size = (StartTime - StopTime) / InitialSteps;
        int accepted = 0, rejected = 0;
        Tensor first;
        using (var scope = NewDisposeScope()) first = RungeKuttaStep.Velocity(denoiser, y, t, x).MoveToOuterDisposeScope();
        try
        {
            while (t > StopTime)
            {
                (size, var smallest, var last) = StepBudget.Next(t, StopTime, size, accepted, options.MinSteps, options.MaxSteps);
                Internal.NativeHeap.AfterStep();
                using var scope = NewDisposeScope();
                var (candidate, error, fsal) = RungeKuttaStep.Attempt(_tableau, denoiser, y, t, -size, x, first, withError: true);
                var scale = maximum(y.abs(), candidate.abs()).Mul(options.RelativeTolerance).Add(options.AbsoluteTolerance);
                var norm = (error! / scale).Square().mean().sqrt().to(ScalarType.Float64).item<double>();
                if (!double.IsFinite(norm)) throw new InvalidOperationException($"The ODE solver produced non-finite values at t = {t:G4}; the model or its inputs are broken.");
                if (norm <= 1 || size <= smallest * (1 + 1e-9))
                {
                    var next = candidate.MoveToOuterDisposeScope();
                    var nextFirst = fsal!.MoveToOuterDisposeScope();
                    y.Dispose();
                    first.Dispose();
                    (y, first) = (next, nextFirst);
                    t = last ? StopTime : t - size;
                    accepted++;
                    ReportProgress(progress, t);
                }
                else rejected++;
                size *= Math.Clamp(0.9 * Math.Pow(Math.Max(norm, 1e-10), -0.2), 0.2, 5.0);
            }
        }
        finally
        {
            first.Dispose();
        }
        return (y, accepted, rejected);
    }
}
