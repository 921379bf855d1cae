using SbiSharp.Denoising;
using SbiSharp.Internal;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>Base of the diffusion samplers: owns the time grid, the loop and progress; a subclass implements one <see cref="Step"/> (or, for adaptive solvers, the whole <see cref="Integrate"/>).</summary>
/// <remarks>
/// The default grid is uniform in t from <see cref="StartTime"/> to <see cref="StopTime"/>; for the EDM schedule that is the Karras
/// ρ-grid. An explicit grid can be given instead. Starting at t = 1, θ_1 ~ N(0, (α₁² + σ₁²)·I), the marginal of standardized
/// data. Stopping at t &gt; 0 returns partially denoised θ_t. Samplers see only an <see cref="IDenoiser"/>; they never know about
/// guidance or composition.
/// </remarks>
public abstract class DiffusionSampler
{
    private readonly double[]? _times;

    /// <summary>Creates the sampler on a uniform grid.</summary>
    /// <param name="steps">Number of steps, positive.</param>
    /// <param name="startTime">Start time in (0, 1].</param>
    /// <param name="stopTime">Stop time in [0, startTime).</param>
    protected DiffusionSampler(int steps, double startTime, double stopTime)
    {
        Check.PositiveValue(steps, nameof(steps));
        if (!(startTime > 0 && startTime <= 1))
            throw new ArgumentOutOfRangeException(nameof(startTime), startTime, $"`startTime` must lie in (0, 1]; got {startTime}.");
        if (!(stopTime >= 0 && stopTime < startTime))
            throw new ArgumentOutOfRangeException(nameof(stopTime), stopTime, $"`stopTime` must lie in [0, startTime = {startTime}); got {stopTime}.");
        Steps = steps;
        StartTime = startTime;
        StopTime = stopTime;
    }

    /// <summary>Creates the sampler on an explicit grid.</summary>
    /// <param name="times">Strictly decreasing times in [0, 1], at least two; the first is the start time, the last the stop time.</param>
    /// <exception cref="ArgumentException">The grid is too short, not strictly decreasing or outside [0, 1].</exception>
    protected DiffusionSampler(IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (times.Count < 2) throw new ArgumentException($"`times` must hold at least two times; got {times.Count}.", nameof(times));
        for (int i = 0; i < times.Count; i++)
        {
            if (!(times[i] >= 0 && times[i] <= 1)) throw new ArgumentException($"`times[{i}]` must lie in [0, 1]; got {times[i]}.", nameof(times));
            if (i > 0 && !(times[i] < times[i - 1]))
                throw new ArgumentException($"`times` must be strictly decreasing (t = 1 is noise); times[{i - 1}] = {times[i - 1]}, times[{i}] = {times[i]}.", nameof(times));
        }
        if (times[0] == 0) throw new ArgumentException("`times[0]` (the start time) must be positive.", nameof(times));
        _times = times.ToArray();
        Steps = times.Count - 1;
        StartTime = times[0];
        StopTime = times[^1];
    }

    /// <summary>Number of steps (for adaptive samplers: the step count of their initial step size).</summary>
    public int Steps { get; }

    /// <summary>Time the reverse process starts from.</summary>
    public double StartTime { get; }

    /// <summary>Time the reverse process stops at (0: clean samples).</summary>
    public double StopTime { get; }

    /// <summary>The explicit grid, or null for the default grid.</summary>
    public IReadOnlyList<double>? Times => _times;

    /// <summary>Denoiser calls per step.</summary>
    public abstract int EvaluationsPerStep { get; }

    /// <summary>Whether the sampler chooses its own steps; then <see cref="Steps"/> only sets its first step size and the cost is known after the run.</summary>
    public virtual bool IsAdaptive => false;

    /// <summary>Denoiser (network) evaluations per draw known before the run: <see cref="Steps"/> × <see cref="EvaluationsPerStep"/> on a fixed grid;
    /// null for an adaptive sampler, whose count is in <see cref="SamplingRun.NetworkEvaluations"/> (and in the estimator's <c>SamplingResult</c>).</summary>
    public int? PlannedNetworkEvaluations => IsAdaptive ? null : Steps * EvaluationsPerStep;

    /// <summary>A short name for tables, e.g. "heun-40".</summary>
    public abstract string Name { get; }

    /// <summary>Draws one sample per row of <paramref name="x"/>.</summary>
    /// <param name="denoiser">The denoiser (possibly wrapped by guidance).</param>
    /// <param name="x">Condition, (B, Dx), one row per draw, in the denoiser's (standardized) units.</param>
    /// <param name="generator">Randomness for the initial noise and stochastic steps.</param>
    /// <param name="initial">Optional θ at <see cref="StartTime"/>, (B, Dθ); not disposed.</param>
    /// <param name="progress">Reports completed steps (for adaptive samplers, the fraction of time covered times <see cref="Steps"/>).</param>
    /// <returns>θ at <see cref="StopTime"/>, (B, Dθ).</returns>
    public Tensor Sample(IDenoiser denoiser, Tensor x, Generator? generator = null, Tensor? initial = null, IProgress<int>? progress = null) =>
        Run(denoiser, x, generator, initial, progress).Theta;

    /// <summary>Like <see cref="Sample"/>, also reporting network evaluations and accepted/rejected steps.</summary>
    public SamplingRun Run(IDenoiser denoiser, Tensor x, Generator? generator = null, Tensor? initial = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(denoiser);
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2) throw new ArgumentException($"`x` must have shape (B, Dx); got {Check.Shape(x)}.", nameof(x));
        var rows = x.shape[0];
        var d = denoiser.ParameterDimension;
        using var noGrad = no_grad();
        Tensor current;
        if (initial is null)
        {
            var (a, s) = denoiser.Schedule.Scales(denoiser.Schedule.LogSnr(StartTime));
            using var scope = NewDisposeScope();
            current = (randn(new[] { rows, (long)d }, dtype: x.dtype, device: x.device, generator: generator).Mul(Math.Sqrt(a * a + s * s))).MoveToOuterDisposeScope();
        }
        else
        {
            Check.Matrix(initial, d, nameof(initial), "to match the denoiser");
            if (initial.shape[0] != rows) throw new ArgumentException($"`initial` must have {rows} rows like `x`; got {initial.shape[0]}.", nameof(initial));
            current = initial.clone();
        }
        var counting = new CountingDenoiser(denoiser);
        var (theta, accepted, rejected) = Integrate(counting, current, x, generator, progress);
        return new SamplingRun(theta, counting.Calls, accepted, rejected);
    }

    /// <summary>Integrates from <see cref="StartTime"/> to <see cref="StopTime"/>; the default walks the grid with <see cref="Step"/>.</summary>
    /// <param name="denoiser">The denoiser.</param>
    /// <param name="initial">θ at the start time; owned (disposed) by this method.</param>
    /// <param name="x">Condition, (B, Dx).</param>
    /// <param name="generator">Randomness of stochastic steps.</param>
    /// <param name="progress">Reports completed steps.</param>
    /// <returns>The final state (fresh, outside every dispose scope) and the accepted and rejected step counts.</returns>
    protected virtual (Tensor Theta, int Accepted, int Rejected) Integrate(IDenoiser denoiser, Tensor initial, Tensor x, Generator? generator, IProgress<int>? progress)
    {
        var current = initial;
        using var history = new SamplerHistory(Steps);
        for (int k = 0; k < Steps; k++)
        {
            double t = TimeAt(denoiser.Schedule, k), next = TimeAt(denoiser.Schedule, k + 1);
            history.StepIndex = k;
            NativeHeap.AfterStep();
            using var scope = NewDisposeScope();
            var updated = Step(denoiser, current, t, next, x, generator, history).MoveToOuterDisposeScope();
            current.Dispose();
            current = updated;
            progress?.Report(k + 1);
        }
        return (current, Steps, 0);
    }

    /// <summary>The k-th grid time, k = 0..Steps: the explicit grid, or uniform in t (for the EDM schedule, the Karras ρ-grid).</summary>
    public double TimeAt(int k) => _times is not null ? _times[k] : StartTime + (StopTime - StartTime) * k / Steps;

    /// <summary>The k-th grid time under <paramref name="schedule"/>; samplers with their own default grid override this (an explicit grid always wins).</summary>
    protected virtual double TimeAt(INoiseSchedule schedule, int k) => TimeAt(k);

    /// <summary>Advances θ_t from time <paramref name="t"/> to <paramref name="s"/> &lt; t.</summary>
    /// <param name="denoiser">The denoiser.</param>
    /// <param name="thetaT">Current state θ_t, (B, Dθ); not disposed.</param>
    /// <param name="t">Current time.</param>
    /// <param name="s">Next time, below <paramref name="t"/>.</param>
    /// <param name="x">Condition, (B, Dx).</param>
    /// <param name="generator">Randomness of stochastic steps.</param>
    /// <param name="history">This run's step index and what multistep solvers carry between steps.</param>
    protected abstract Tensor Step(IDenoiser denoiser, Tensor thetaT, double t, double s, Tensor x, Generator? generator, SamplerHistory history);

    /// <summary>The reverse-time drift f θ − c·g²·score at time t; c = ½ gives the probability-flow ODE, c = 1 the reverse SDE.</summary>
    /// <returns>The drift and g² at t.</returns>
    protected internal static (Tensor Drift, double DiffusionSquared) Drift(IDenoiser denoiser, Tensor thetaT, double t, Tensor x, double scoreFactor)
    {
        var (score, f, g2) = Score(denoiser, thetaT, t, x);
        return (thetaT.Mul(f) - score.Mul(scoreFactor * g2), g2);
    }

    /// <summary>The score ∇log p_t(θ_t | x) and the forward SDE's f(t) and g²(t).</summary>
    protected internal static (Tensor Score, double F, double DiffusionSquared) Score(IDenoiser denoiser, Tensor thetaT, double t, Tensor x)
    {
        var schedule = denoiser.Schedule;
        var logSnr = schedule.LogSnr(t);
        var derivative = schedule.LogSnrDerivative(t);
        var (alpha, sigma) = schedule.Scales(logSnr);
        var f = schedule.LogAlphaDerivative(logSnr) * derivative;
        var g2 = -derivative * sigma * sigma;
        using var lambda = ScalarMath.Full(new[] { thetaT.shape[0], 1L }, logSnr, dtype: thetaT.dtype, device: thetaT.device);
        using var denoised = denoiser.Denoise(thetaT, lambda, x);
        return (DenoiserMath.Score(thetaT, denoised, alpha, sigma), f, g2);
    }
}
