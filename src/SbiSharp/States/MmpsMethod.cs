using SbiSharp.Denoising;

namespace SbiSharp.States;

/// <summary>Moment-matching posterior sampling (<see cref="MmpsDenoiser"/>), the default zero-shot method.</summary>
public sealed record MmpsMethod : ZeroShotMethod
{
    /// <summary>The default method.</summary>
    public static MmpsMethod Default { get; } = new();

    /// <summary>Conjugate-gradient iterations per call, ≥ 1.</summary>
    public int CgIterations { get; init; } = MmpsDenoiser.DefaultCgIterations;

    /// <summary>Relative residual at which the iterations stop early; 0: never.</summary>
    public double CgTolerance { get; init; }

    /// <inheritdoc />
    public override int BackwardPasses => CgIterations + 1;

    /// <inheritdoc />
    public override IDenoiser Wrap(IDenoiser prior, ObservationSet observations) => new MmpsDenoiser(prior, observations, CgIterations, CgTolerance);
}
