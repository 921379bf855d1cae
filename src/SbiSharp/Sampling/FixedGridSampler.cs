using SbiSharp.Denoising;
using SbiSharp.Internal;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>A sampler on a time grid: the base walks the grid and a subclass implements one <see cref="Step"/>.</summary>
/// <remarks>
/// The default grid is uniform in t from <see cref="DiffusionSampler.StartTime"/> to <see cref="DiffusionSampler.StopTime"/>; for
/// the EDM schedule that is the Karras ρ-grid. An explicit grid can be given instead. The cost is known before the run:
/// <see cref="Steps"/> × <see cref="EvaluationsPerStep"/> network evaluations per draw.
/// </remarks>
public abstract class FixedGridSampler : DiffusionSampler
{
    private readonly double[]? _times;

    /// <summary>Creates the sampler on a uniform grid.</summary>
    /// <param name="steps">Number of steps, positive.</param>
    /// <param name="startTime">Start time in (0, 1].</param>
    /// <param name="stopTime">Stop time in [0, startTime).</param>
    protected FixedGridSampler(int steps, double startTime, double stopTime) : base(startTime, stopTime)
    {
        Check.PositiveValue(steps, nameof(steps));
        Steps = steps;
    }

    /// <summary>Creates the sampler on an explicit grid.</summary>
    /// <param name="times">Strictly decreasing times in [0, 1], at least two; the first is the start time, the last the stop time.</param>
    /// <exception cref="ArgumentException">The grid is too short, not strictly decreasing or outside [0, 1].</exception>
    protected FixedGridSampler(IReadOnlyList<double> times) : base(CheckGrid(times)[0], times[^1])
    {
        _times = times.ToArray();
        Steps = times.Count - 1;
    }

    private static IReadOnlyList<double> CheckGrid(IReadOnlyList<double> times)
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
        return times;
    }

    /// <summary>Number of steps.</summary>
    public int Steps { get; }

    /// <summary>The explicit grid, or null for the default grid.</summary>
    public IReadOnlyList<double>? Times => _times;

    /// <summary>Denoiser calls per step.</summary>
    public abstract int EvaluationsPerStep { get; }

    /// <inheritdoc />
    public sealed override bool IsAdaptive => false;

    /// <inheritdoc />
    public sealed override int? PlannedNetworkEvaluations => Steps * EvaluationsPerStep;

    /// <inheritdoc />
    public sealed override int ProgressUnits => Steps;

    /// <summary>Walks the grid with <see cref="Step"/>, one dispose scope per step.</summary>
    private protected sealed override (Tensor Theta, int Accepted, int Rejected) Integrate(IDenoiser denoiser, Tensor initial, Tensor x, Generator? generator, IProgress<int>? progress)
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

    /// <summary>The k-th time of a grid uniform in log-SNR between the start and stop times (an explicit grid wins), found by bisection on the monotone λ(t).</summary>
    protected double LogSnrUniformTime(INoiseSchedule schedule, int k)
    {
        if (Times is not null || k == 0) return TimeAt(k);
        if (k == Steps) return StopTime;
        double lambdaStart = schedule.LogSnr(StartTime), lambdaStop = schedule.LogSnr(StopTime);
        var target = lambdaStart + (lambdaStop - lambdaStart) * k / Steps;
        double lo = StopTime, hi = StartTime;
        for (int i = 0; i < 100 && hi - lo > 1e-14; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (schedule.LogSnr(mid) > target) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>Advances θ_t from time <paramref name="t"/> to <paramref name="s"/> &lt; t.</summary>
    /// <param name="denoiser">The denoiser.</param>
    /// <param name="thetaT">Current state θ_t, (B, Dθ); not disposed.</param>
    /// <param name="t">Current time.</param>
    /// <param name="s">Next time, below <paramref name="t"/>.</param>
    /// <param name="x">Condition, (B, Dx).</param>
    /// <param name="generator">Randomness of stochastic steps.</param>
    /// <param name="history">This run's step index and what multistep solvers carry between steps.</param>
    protected abstract Tensor Step(IDenoiser denoiser, Tensor thetaT, double t, double s, Tensor x, Generator? generator, SamplerHistory history);
}
