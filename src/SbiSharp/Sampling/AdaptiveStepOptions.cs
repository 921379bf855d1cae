namespace SbiSharp.Sampling;

/// <summary>Error control of the adaptive ODE solvers (embedded Runge–Kutta pairs).</summary>
/// <remarks>
/// A step is accepted when the RMS over all elements of err/(atol + rtol·max(|θ|, |θ_new|)) is at most 1 (Hairer, Nørsett &amp; Wanner,
/// Solving ODEs I, §II.4); the next step is h·clamp(0.9·E^{−1/5}, 0.2, 5). Step sizes are kept between remaining/(MaxSteps − taken)
/// and remaining/(MinSteps − taken), so a run takes at least <see cref="MinSteps"/> and at most <see cref="MaxSteps"/> accepted steps.
/// </remarks>
public sealed record AdaptiveStepOptions
{
    /// <summary>Default options (atol 1e-6, rtol 1e-4, 10–1000 steps).</summary>
    public static AdaptiveStepOptions Default { get; } = new();

    /// <summary>Absolute tolerance.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-6;

    /// <summary>Relative tolerance.</summary>
    public double RelativeTolerance { get; init; } = 1e-4;

    /// <summary>Fewest accepted steps.</summary>
    public int MinSteps { get; init; } = 10;

    /// <summary>Most accepted steps (a step at the smallest allowed size is always accepted).</summary>
    public int MaxSteps { get; init; } = 1000;

    /// <summary>Throws on the first invalid field.</summary>
    public AdaptiveStepOptions Validate()
    {
        Internal.Check.PositiveValue(AbsoluteTolerance, nameof(AbsoluteTolerance));
        Internal.Check.PositiveValue(RelativeTolerance, nameof(RelativeTolerance));
        Internal.Check.PositiveValue(MinSteps, nameof(MinSteps));
        if (MaxSteps <= MinSteps)
            throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, $"`MaxSteps` must exceed `MinSteps` = {MinSteps}; got {MaxSteps}.");
        return this;
    }
}
