using SbiSharp.Denoising;
using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Sampling;

/// <summary>Multistep consistency sampling (Song et al. 2023, arXiv:2303.01469, Algorithm 1): jump to the clean estimate f(θ_t, t), re-noise it to the next
/// grid time with fresh noise, θ_s = α_s f + σ_s z, and jump again; the last jump is returned as drawn.</summary>
/// <remarks>
/// The sampler for consistency models (<c>--method consistency</c>, <c>stable-consistency</c>, distilled models), whose network is a consistency function rather
/// than a denoiser: one network evaluation per step, on a grid uniform in log-SNR from t = 1.
/// With a denoiser E[θ | θ_t] instead of a consistency function it is valid but crude (each jump lands on the posterior mean, so few steps draw too narrow);
/// the probability-flow samplers cannot run a consistency model, which has no score.
/// </remarks>
public sealed class ConsistencySampler : FixedGridSampler
{
    /// <summary>Default number of steps (network evaluations per draw).</summary>
    public const int DefaultSteps = 4;

    /// <summary>Creates the sampler.</summary>
    /// <param name="steps">Jumps, positive: 1 is single-step generation.</param>
    /// <param name="startTime">Start time in (0, 1].</param>
    /// <param name="stopTime">Stop time in [0, startTime); 0 returns the last jump's clean estimate.</param>
    public ConsistencySampler(int steps = DefaultSteps, double startTime = 1, double stopTime = 0) : base(steps, startTime, stopTime) { }

    /// <summary>Creates the sampler on an explicit time grid (strictly decreasing, in [0, 1]): jumps from every time but the last.</summary>
    public ConsistencySampler(IReadOnlyList<double> times) : base(times) { }

    /// <inheritdoc />
    public override int EvaluationsPerStep => 1;

    /// <inheritdoc />
    public override string Name => Times is null ? $"consistency-{Steps}" : IsUniformInTime ? $"consistency-{Steps}-t-grid" : $"consistency-{Steps}-custom-grid";

    /// <summary>The grid uniform in t from 1 to 0 with <paramref name="steps"/> steps: for the EDM schedule the Karras ρ-grid, on which a distilled model was trained
    /// when <paramref name="steps"/> divides its intervals.</summary>
    public static ConsistencySampler UniformInTime(int steps)
    {
        Internal.Check.PositiveValue(steps, nameof(steps));
        return new ConsistencySampler(Enumerable.Range(0, steps + 1).Select(k => 1.0 - (double)k / steps).ToArray());
    }

    /// <summary>Whether the explicit grid is the uniform one of <see cref="UniformInTime"/>.</summary>
    private bool IsUniformInTime => Times is { } times && Enumerable.Range(0, times.Count).All(k => Math.Abs(times[k] - (1.0 - (double)k / Steps)) < 1e-12);

    /// <inheritdoc />
    public override bool NeedsScore => false;

    /// <summary>Jumps from times uniform in log-SNR (for two steps on the EDM schedule from σ = 0.002, the second at σ ≈ 0.4, a posterior's width in standardized
    /// units; the schedule's own grid would re-noise at σ ≈ 2.5 and lose what the first jump found).</summary>
    protected override double TimeAt(Noise.INoiseSchedule schedule, int k) => LogSnrUniformTime(schedule, k);

    /// <inheritdoc />
    protected override Tensor Step(IDenoiser denoiser, Tensor thetaT, double t, double s, Tensor x, Generator? generator, SamplerHistory history)
    {
        var schedule = denoiser.Schedule;
        using var lambda = ScalarMath.Full(new[] { thetaT.shape[0], 1L }, schedule.LogSnr(t), dtype: thetaT.dtype, device: thetaT.device);
        var clean = denoiser.Denoise(thetaT, lambda, x);
        if (s <= 0) return clean;
        var (alphaS, sigmaS) = schedule.Scales(schedule.LogSnr(s));
        var z = randn(thetaT.shape, dtype: thetaT.dtype, device: thetaT.device, generator: generator);
        return clean.Mul(alphaS).Plus(z.Mul(sigmaS));
    }
}
