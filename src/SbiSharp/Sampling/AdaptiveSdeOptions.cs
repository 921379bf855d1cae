namespace SbiSharp.Sampling;

/// <summary>Error control of the two-step adaptive SDE solver (Jolicoeur-Martineau et al. 2021).</summary>
/// <remarks>Defaults as in BayesFlow for standardized parameters: ε_rel = 0.1, ε_abs = 0.02576 (1 % of the 99 % interval of a unit normal), r = 0.9, safety 0.9, first step 0.01.</remarks>
public sealed record AdaptiveSdeOptions
{
    /// <summary>Default options.</summary>
    public static AdaptiveSdeOptions Default { get; } = new();

    /// <summary>ε_abs.</summary>
    public double AbsoluteTolerance { get; init; } = 0.02576;

    /// <summary>ε_rel.</summary>
    public double RelativeTolerance { get; init; } = 0.1;

    /// <summary>Exponent r of the step update h ← safety·h·E^{−r}.</summary>
    public double Exponent { get; init; } = 0.9;

    /// <summary>Safety factor of the step update.</summary>
    public double Safety { get; init; } = 0.9;

    /// <summary>First step size in t.</summary>
    public double InitialStep { get; init; } = 0.01;

    /// <summary>Fewest accepted steps.</summary>
    public int MinSteps { get; init; } = 10;

    /// <summary>Most accepted steps (a step at the smallest allowed size is always accepted).</summary>
    public int MaxSteps { get; init; } = 1000;

    /// <summary>Throws on the first invalid field.</summary>
    public AdaptiveSdeOptions Validate()
    {
        Internal.Check.PositiveValue(AbsoluteTolerance, nameof(AbsoluteTolerance));
        Internal.Check.PositiveValue(RelativeTolerance, nameof(RelativeTolerance));
        Internal.Check.PositiveValue(Exponent, nameof(Exponent));
        if (!(Safety > 0 && Safety <= 1)) throw new ArgumentOutOfRangeException(nameof(Safety), Safety, $"`Safety` must lie in (0, 1]; got {Safety}.");
        if (!(InitialStep > 0 && InitialStep <= 1)) throw new ArgumentOutOfRangeException(nameof(InitialStep), InitialStep, $"`InitialStep` must lie in (0, 1]; got {InitialStep}.");
        Internal.Check.PositiveValue(MinSteps, nameof(MinSteps));
        if (MaxSteps <= MinSteps)
            throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, $"`MaxSteps` must exceed `MinSteps` = {MinSteps}; got {MaxSteps}.");
        return this;
    }
}
