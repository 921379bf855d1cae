using SbiSharp.Denoising;

namespace SbiSharp.Guidance;

/// <summary>A change of the posterior at inference time, built as a wrapper around a denoiser so that every sampler works with it unchanged.</summary>
/// <remarks>
/// A guidance term that adds Δs to the score changes the denoised mean by (σ²/α)·Δs, because s = (αθ̂ − θ_t)/σ². Wrappers nest:
/// the estimator applies a list of them in order, innermost first.
/// </remarks>
public abstract class DenoiserGuidance
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The denoiser to steer, in standardized units.</param>
    /// <param name="context">The θ standardization and, if any, the unconditional denoiser.</param>
    /// <returns>A denoiser with the same schedule and dimension.</returns>
    public abstract IDenoiser Apply(IDenoiser inner, GuidanceContext context);

    /// <summary>Applies what the guidance makes exact to finished draws in original units (for example fixed components); the default returns a copy.</summary>
    /// <param name="draws">Draws, (…, Dθ), original units; not modified.</param>
    /// <returns>A fresh tensor of the same shape.</returns>
    public virtual TorchSharp.torch.Tensor Finish(TorchSharp.torch.Tensor draws) => draws.clone();
}
