using SbiSharp.Internal;
using SbiSharp.Sampling;

namespace SbiSharp.Estimators;

/// <summary>How posterior draws are made.</summary>
public sealed record SamplingOptions
{
    /// <summary>Default options.</summary>
    public static SamplingOptions Default { get; } = new();

    /// <summary>The sampler (with its step count and start/stop times); null (the default) is the model family's own, <see cref="Training.ObjectiveSpec.DefaultSampler"/>:
    /// for a diffusion model DPM-Solver++(2M) with 40 steps, exact in width for narrow Gaussian posteriors where Heun-30 (the default before 2026-12-02) draws a
    /// 0.01-sd posterior 20 % too wide (docs/narrow-posteriors.md); for a consistency model the multistep <see cref="ConsistencySampler"/>.</summary>
    public DiffusionSampler? Sampler { get; init; }

    /// <summary>The sampler these options run for a model of <paramref name="objective"/>'s family: <see cref="Sampler"/>, or the family's default when it is null.</summary>
    public DiffusionSampler SamplerFor(Training.ObjectiveSpec objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return Sampler ?? objective.DefaultSampler();
    }

    /// <summary>Seed: the same seed, model and options give the same samples. Null draws a fresh seed.</summary>
    public long? Seed { get; init; } = 0;

    /// <summary>Most rows (draws × observations) integrated at once; bounds memory (about 100 KB per row for the default network).</summary>
    /// <remarks>The chunks draw their noise from one generator in turn, so the same seed with another chunk size gives other (equally valid) draws;
    /// keep the chunk size fixed where draws must be reproduced.</remarks>
    public int ChunkSize { get; init; } = 20_000;

    /// <summary>Whether draws outside the prior's support are rejected and redrawn (as sbi does). Only coordinates whose transform does not
    /// already keep them inside (the identity on a bounded interval) can leave it.</summary>
    public bool RejectOutsideSupport { get; init; } = true;

    /// <summary>Acceptance rate below which rejection stops with a warning and the remaining draws are returned as drawn, in (0, 1].</summary>
    public double MinAcceptanceRate { get; init; } = 0.01;

    /// <summary>Throws on the first invalid field.</summary>
    public SamplingOptions Validate()
    {
        Check.PositiveValue(ChunkSize, nameof(ChunkSize));
        if (!(MinAcceptanceRate > 0 && MinAcceptanceRate <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinAcceptanceRate), MinAcceptanceRate, $"`MinAcceptanceRate` must lie in (0, 1]; got {MinAcceptanceRate}.");
        return this;
    }
}
