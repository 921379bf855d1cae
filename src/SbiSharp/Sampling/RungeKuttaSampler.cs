using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>Base of the embedded 5(4) Runge–Kutta solvers of the probability-flow ODE, on a fixed grid or with adaptive steps.</summary>
/// <remarks>
/// Fixed grid: the fifth-order solution only, <c>Stages</c> denoiser calls per step. Adaptive (<see cref="Adaptive"/> set): the
/// embedded error estimate controls the step (see <see cref="AdaptiveStepOptions"/>), the last stage is reused as the next
/// step's first (FSAL), and the network evaluations actually spent are reported in <see cref="SamplingRun"/>. One step size
/// serves the whole batch, so the error is the RMS over all rows.
/// </remarks>
public abstract class RungeKuttaSampler : DiffusionSampler
{
    private readonly ButcherTableau _tableau;

    private protected RungeKuttaSampler(ButcherTableau tableau, int steps, double startTime, double stopTime, AdaptiveStepOptions? adaptive)
        : base(steps, startTime, stopTime)
    {
        _tableau = tableau;
        Adaptive = adaptive?.Validate();
    }

    private protected RungeKuttaSampler(ButcherTableau tableau, IReadOnlyList<double> times) : base(times) => _tableau = tableau;

    /// <summary>Error control, or null for a fixed grid.</summary>
    public AdaptiveStepOptions? Adaptive { get; }

    /// <inheritdoc />
    public override int EvaluationsPerStep => _tableau.Stages;

    /// <inheritdoc />
    public override bool IsAdaptive => Adaptive is not null;

    /// <summary>The solver's name without step count, e.g. "rk45".</summary>
    protected abstract string BaseName { get; }

    /// <inheritdoc />
    public override string Name => Adaptive is { } a ? $"{BaseName}-adaptive-rtol{a.RelativeTolerance:G2}" : $"{BaseName}-{Steps}";

    /// <inheritdoc />
    protected override Tensor Step(IDenoiser denoiser, Tensor thetaT, double t, double s, Tensor x, Generator? generator, SamplerHistory history)
    {
        var (solution, _, _) = Attempt(denoiser, thetaT, t, s - t, x, null, withError: false);
        return solution;
    }

    /// <inheritdoc />
    protected override (Tensor Theta, int Accepted, int Rejected) Integrate(IDenoiser denoiser, Tensor initial, Tensor x, Generator? generator, IProgress<int>? progress)
    {
        if (Adaptive is not { } options) return base.Integrate(denoiser, initial, x, generator, progress);
        var span = StartTime - StopTime;
        var y = initial;
        double t = StartTime, size = span / Steps;
        int accepted = 0, rejected = 0;
        Tensor first;
        using (var scope = NewDisposeScope()) first = Velocity(denoiser, y, t, x).MoveToOuterDisposeScope();
        try
        {
            while (t > StopTime)
            {
                (size, var smallest, var last) = StepBudget.Next(t, StopTime, size, accepted, options.MinSteps, options.MaxSteps);
                Internal.NativeHeap.AfterStep();
                using var scope = NewDisposeScope();
                var (candidate, error, fsal) = Attempt(denoiser, y, t, -size, x, first, withError: true);
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
                    progress?.Report((int)Math.Round(Steps * (StartTime - t) / span));
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

    private static Tensor Velocity(IDenoiser denoiser, Tensor theta, double t, Tensor x) => Drift(denoiser, theta, t, x, scoreFactor: 0.5).Drift;

    /// <summary>One step of size <paramref name="h"/> (negative: towards data); with <paramref name="withError"/>, also the error estimate and the FSAL stage.</summary>
    private (Tensor Solution, Tensor? Error, Tensor? Fsal) Attempt(IDenoiser denoiser, Tensor y, double t, double h, Tensor x, Tensor? first, bool withError)
    {
        var tab = _tableau;
        var k = new Tensor[tab.Stages + 1];
        k[0] = first ?? Velocity(denoiser, y, t, x);
        for (int i = 1; i < tab.Stages; i++)
        {
            var stage = y.clone();
            for (int j = 0; j < i; j++)
                if (tab.A[i][j] != 0) stage.AddInPlace(k[j], h * tab.A[i][j]);
            k[i] = Velocity(denoiser, stage, Math.Max(0, t + tab.C[i] * h), x);
        }
        var solution = y.clone();
        for (int i = 0; i < tab.Stages; i++)
            if (tab.B[i] != 0) solution.AddInPlace(k[i], h * tab.B[i]);
        if (!withError) return (solution, null, null);
        k[tab.Stages] = Velocity(denoiser, solution, Math.Max(0, t + h), x);
        var error = zeros_like(y);
        for (int i = 0; i <= tab.Stages; i++)
            if (tab.Error[i] != 0) error.AddInPlace(k[i], h * tab.Error[i]);
        return (solution, error, k[tab.Stages].alias());
    }
}
