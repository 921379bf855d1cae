using SbiSharp.Denoising;
using SbiSharp.Internal;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>Base of the diffusion samplers: the start and stop times, the initial noise, the count of network evaluations and progress;
/// <see cref="FixedGridSampler"/> walks a time grid one step at a time, <see cref="AdaptiveSampler"/> chooses its own steps.</summary>
/// <remarks>
/// Starting at t = 1, θ_1 ~ N(0, (α₁² + σ₁²)·I), the marginal of standardized data. Stopping at t &gt; 0 returns partially
/// denoised θ_t. Samplers see only an <see cref="IDenoiser"/>; they never know about guidance or composition. The network
/// evaluations of a run are counted by wrapping the denoiser (<see cref="SamplingRun.NetworkEvaluations"/>), never computed from
/// the settings.
/// </remarks>
public abstract class DiffusionSampler
{
    /// <summary>Checks and stores the time span.</summary>
    /// <param name="startTime">Start time in (0, 1].</param>
    /// <param name="stopTime">Stop time in [0, startTime).</param>
    private protected DiffusionSampler(double startTime, double stopTime)
    {
        if (!(startTime > 0 && startTime <= 1))
            throw new ArgumentOutOfRangeException(nameof(startTime), startTime, $"`startTime` must lie in (0, 1]; got {startTime}.");
        if (!(stopTime >= 0 && stopTime < startTime))
            throw new ArgumentOutOfRangeException(nameof(stopTime), stopTime, $"`stopTime` must lie in [0, startTime = {startTime}); got {stopTime}.");
        StartTime = startTime;
        StopTime = stopTime;
    }

    /// <summary>Time the reverse process starts from.</summary>
    public double StartTime { get; }

    /// <summary>Time the reverse process stops at (0: clean samples).</summary>
    public double StopTime { get; }

    /// <summary>Whether the sampler chooses its own steps (an <see cref="AdaptiveSampler"/>); then its cost is known only after the run.</summary>
    public abstract bool IsAdaptive { get; }

    /// <summary>Denoiser (network) evaluations per draw known before the run: steps × evaluations per step on a fixed grid;
    /// null for an adaptive sampler, whose count is in <see cref="SamplingRun.NetworkEvaluations"/> (and in the estimator's <c>SamplingResult</c>).</summary>
    public abstract int? PlannedNetworkEvaluations { get; }

    /// <summary>The number progress reports count up to: the steps of a fixed grid; for an adaptive sampler, per-mille of the time span covered (1000).</summary>
    public abstract int ProgressUnits { get; }

    /// <summary>Whether the sampler needs the score of a denoiser E[θ | θ_t] (every probability-flow ODE and reverse-SDE sampler); false for the
    /// <see cref="ConsistencySampler"/>, which only jumps to clean estimates and so also runs consistency models.</summary>
    public virtual bool NeedsScore => true;

    /// <summary>A short name for tables, e.g. "heun-40".</summary>
    public abstract string Name { get; }

    /// <summary>Draws one sample per row of <paramref name="x"/>.</summary>
    /// <param name="denoiser">The denoiser (possibly wrapped by guidance).</param>
    /// <param name="x">Condition, (B, Dx), one row per draw, in the denoiser's (standardized) units.</param>
    /// <param name="generator">Randomness for the initial noise and stochastic steps.</param>
    /// <param name="initial">Optional θ at <see cref="StartTime"/>, (B, Dθ); not disposed.</param>
    /// <param name="progress">Reports progress, counting up to <see cref="ProgressUnits"/>.</param>
    /// <returns>θ at <see cref="StopTime"/>, (B, Dθ).</returns>
    public Tensor Sample(IDenoiser denoiser, Tensor x, Generator? generator = null, Tensor? initial = null, IProgress<int>? progress = null) =>
        Run(denoiser, x, generator, initial, progress).Theta;

    /// <summary>Like <see cref="Sample"/>, also reporting the network evaluations counted in this run and the accepted/rejected steps.</summary>
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

    /// <summary>Integrates from <see cref="StartTime"/> to <see cref="StopTime"/>.</summary>
    /// <param name="denoiser">The denoiser.</param>
    /// <param name="initial">θ at the start time; owned (disposed) by this method.</param>
    /// <param name="x">Condition, (B, Dx).</param>
    /// <param name="generator">Randomness of stochastic steps.</param>
    /// <param name="progress">Reports progress up to <see cref="ProgressUnits"/>.</param>
    /// <returns>The final state (fresh, outside every dispose scope) and the accepted and rejected step counts.</returns>
    private protected abstract (Tensor Theta, int Accepted, int Rejected) Integrate(IDenoiser denoiser, Tensor initial, Tensor x, Generator? generator, IProgress<int>? progress);

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
