using SbiSharp.Denoising;

namespace SbiSharp.States;

/// <summary>How a prior denoiser and linear-Gaussian observations make a posterior denoiser (MMPS, DPS, ΠGDM): a serializable choice, registered in
/// <see cref="Registration.Registries.ZeroShotMethods"/> (the CLI's <c>--method</c>).</summary>
public abstract record ZeroShotMethod
{
    /// <summary>Wraps <paramref name="prior"/> (units of the denoiser) for <paramref name="observations"/> (same units).</summary>
    public abstract IDenoiser Wrap(IDenoiser prior, ObservationSet observations);

    /// <summary>Network passes per denoiser call: forward plus backward (a backward pass costs about two forward ones).</summary>
    public abstract int BackwardPasses { get; }
}
