using SbiSharp.Internal;

namespace SbiSharp.Composition;

/// <summary>How compositional inference over many observations is done.</summary>
public sealed record CompositionOptions
{
    /// <summary>Default options.</summary>
    public static CompositionOptions Default { get; } = new();

    /// <summary>The combination rule.</summary>
    public CompositionMethod Method { get; init; } = CompositionMethod.Gauss;

    /// <summary>For <see cref="CompositionMethod.Sum"/>: damp the (1 − N)·prior-score term by w(t) = α²/(α² + σ²), which vanishes at pure noise (default false: w = 1).</summary>
    /// <remarks>Damping breaks the cancellation of the N observation scores against the (1 − N) prior score at high noise, so the composed score there is N times too strong; measured on Gaussian-linear it diverges for N = 100. Kept for comparison with Geffner et al.'s damped variant.</remarks>
    public bool DampPriorScore { get; init; }

    /// <summary>Most network rows (draws × observations) evaluated at once; bounds memory for N in the thousands.</summary>
    public int MaxRows { get; init; } = 65_536;

    /// <summary>For <see cref="CompositionMethod.Gauss"/>: draws per observation of the pilot run that estimates each single-observation posterior covariance.</summary>
    public int PilotDraws { get; init; } = 256;

    /// <summary>Throws on the first invalid field.</summary>
    public CompositionOptions Validate()
    {
        if (!Enum.IsDefined(Method))
            throw new ArgumentOutOfRangeException(nameof(Method), Method, $"`Method` must be one of {string.Join(", ", Enum.GetNames<CompositionMethod>())}; got {Method}.");
        Check.PositiveValue(MaxRows, nameof(MaxRows));
        if (PilotDraws < 8) throw new ArgumentOutOfRangeException(nameof(PilotDraws), PilotDraws, $"`PilotDraws` must be at least 8 to estimate a covariance; got {PilotDraws}.");
        return this;
    }
}
