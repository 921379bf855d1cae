using SbiSharp.Internal;

namespace SbiSharp.Diagnostics;

/// <summary>Settings of <see cref="RandomWalkMetropolis"/>.</summary>
public sealed record RandomWalkMetropolisOptions
{
    /// <summary>Default options.</summary>
    public static RandomWalkMetropolisOptions Default { get; } = new();

    /// <summary>Kept draws per chain.</summary>
    public int Draws { get; init; } = 10_000;

    /// <summary>Iterations discarded first; the proposal scale adapts only during these.</summary>
    public int BurnIn { get; init; } = 5_000;

    /// <summary>Keep every k-th iteration after burn-in.</summary>
    public int Thin { get; init; } = 10;

    /// <summary>Initial proposal standard deviation (all coordinates); adapted during burn-in towards <see cref="TargetAcceptance"/>.</summary>
    public double InitialScale { get; init; } = 0.1;

    /// <summary>Acceptance rate the burn-in adaptation aims at (0.234 is optimal for many-dimensional targets, Roberts et al. 1997).</summary>
    public double TargetAcceptance { get; init; } = 0.234;

    /// <summary>Random seed.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>Throws on the first invalid field.</summary>
    public RandomWalkMetropolisOptions Validate()
    {
        Check.PositiveValue(Draws, nameof(Draws));
        if (BurnIn < 0) throw new ArgumentOutOfRangeException(nameof(BurnIn), BurnIn, $"`BurnIn` must be non-negative; got {BurnIn}.");
        Check.PositiveValue(Thin, nameof(Thin));
        if (!(InitialScale > 0 && double.IsFinite(InitialScale))) throw new ArgumentOutOfRangeException(nameof(InitialScale), InitialScale, $"`InitialScale` must be positive and finite; got {InitialScale}.");
        if (!(TargetAcceptance > 0 && TargetAcceptance < 1)) throw new ArgumentOutOfRangeException(nameof(TargetAcceptance), TargetAcceptance, $"`TargetAcceptance` must lie in (0, 1); got {TargetAcceptance}.");
        return this;
    }
}
