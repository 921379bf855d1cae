namespace SbiSharp.Sampling;

/// <summary>Settings of the log density by the probability-flow ODE.</summary>
public sealed record LogDensityOptions
{
    /// <summary>Default options.</summary>
    public static LogDensityOptions Default { get; } = new();

    /// <summary>Fixed RK4 steps from t = 0 to t = 1 (uniform in t: for the EDM schedule the Karras grid).</summary>
    public int Steps { get; init; } = 64;

    /// <summary>Divergence estimator; null picks exact for Dθ ≤ 16 and Hutchinson above.</summary>
    public TraceEstimator? Trace { get; init; }

    /// <summary>Hutchinson probes averaged per evaluation.</summary>
    public int Probes { get; init; } = 1;

    /// <summary>Seed of the Hutchinson probes.</summary>
    public long Seed { get; init; } = 0;

    /// <summary>Draws per distinct observation that estimate the share of the model's mass inside a bounded support, when the model learns θ as it is
    /// (identity transform) and sampling rejects what falls outside: the density of those draws is q(θ | x) / P_q(support | x), and <c>LogProb</c>
    /// subtracts log P (as sbi's leakage correction). 0: q restricted to the support, not renormalized. Ignored when nothing can leave the support.</summary>
    public int SupportDraws { get; init; } = 2_000;

    /// <summary>Most rows integrated at once.</summary>
    public int ChunkSize { get; init; } = 4_096;

    /// <summary>Throws on the first invalid field.</summary>
    public LogDensityOptions Validate()
    {
        Internal.Check.PositiveValue(Steps, nameof(Steps));
        Internal.Check.PositiveValue(Probes, nameof(Probes));
        Internal.Check.PositiveValue(ChunkSize, nameof(ChunkSize));
        if (SupportDraws < 0) throw new ArgumentOutOfRangeException(nameof(SupportDraws), SupportDraws, $"`SupportDraws` must be 0 (no renormalization) or positive; got {SupportDraws}.");
        if (Trace is { } t && !Enum.IsDefined(t)) throw new ArgumentOutOfRangeException(nameof(Trace), t, $"`Trace` must be one of {string.Join(", ", Enum.GetNames<TraceEstimator>())}; got {t}.");
        return this;
    }
}
