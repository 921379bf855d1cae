using SbiSharp.Internal;

namespace SbiSharp.Sequential;

/// <summary>Settings of truncated sequential NPE (<see cref="TruncatedSequentialEstimation"/>).</summary>
public sealed record SequentialOptions
{
    /// <summary>Default options.</summary>
    public static SequentialOptions Default { get; } = new();

    /// <summary>Rounds R; the simulation budget is split evenly between them (the first round draws from the prior).</summary>
    public int Rounds { get; init; } = 4;

    /// <summary>Posterior draws at the observation that bound the next round's region.</summary>
    public int TruncationDraws { get; init; } = 10_000;

    /// <summary>Share of the draws left out on each side of each coordinate before the margin is added (robust to a few stray draws of an early model).</summary>
    public double TailQuantile { get; init; } = 1e-3;

    /// <summary>Margin added on each side of the draws' central range, as a fraction of that range, so the region holds the posterior's tails.</summary>
    public double Margin { get; init; } = 0.1;

    /// <summary>Throws on the first invalid field.</summary>
    public SequentialOptions Validate()
    {
        Check.PositiveValue(Rounds, nameof(Rounds));
        if (TruncationDraws < 100)
            throw new ArgumentOutOfRangeException(nameof(TruncationDraws), TruncationDraws, $"`TruncationDraws` must be at least 100; got {TruncationDraws}.");
        if (!(TailQuantile >= 0 && TailQuantile < 0.5))
            throw new ArgumentOutOfRangeException(nameof(TailQuantile), TailQuantile, $"`TailQuantile` must lie in [0, 0.5); got {TailQuantile}.");
        if (!(Margin >= 0 && double.IsFinite(Margin)))
            throw new ArgumentOutOfRangeException(nameof(Margin), Margin, $"`Margin` must be finite and ≥ 0; got {Margin}.");
        return this;
    }
}
