namespace SbiSharp.Guidance;

/// <summary>How <see cref="PriorSwapGuidance"/> approximates the denoising covariance Cov[θ | θ_t, x].</summary>
public enum PriorSwapMethod
{
    /// <summary>Tweedie's covariance (σ²/α)·∂θ̂/∂θ_t from Dθ backward passes, with the curvature of the prior ratio (a Newton step): exact when the posterior and both priors are Gaussian.</summary>
    Tweedie,

    /// <summary>The isotropic covariance σ²/(α² + σ²)·I of unit-variance (standardized) data and a first-order step: one network call per evaluation, biased when the new prior is far from the training prior.</summary>
    FirstOrder,
}
