using SbiSharp.Denoising;

namespace SbiSharp.States;

/// <summary>Diffusion posterior sampling (<see cref="DpsDenoiser"/>) with its step size.</summary>
public sealed record DpsMethod : ZeroShotMethod
{
    /// <summary>The default step size ζ (docs/states.md: ζ = 1 diverges on the 16×16 field; 1e-3 is stable there but under-fits).</summary>
    public const double DefaultStepSize = 1e-3;

    /// <summary>ζ &gt; 0, the factor on the likelihood score.</summary>
    public double StepSize { get; init; } = DefaultStepSize;

    /// <inheritdoc />
    public override int BackwardPasses => 1;

    /// <inheritdoc />
    public override IDenoiser Wrap(IDenoiser prior, ObservationSet observations) => new DpsDenoiser(prior, observations, StepSize);
}
