namespace SbiSharp.Composition;

/// <summary>How the per-observation denoisers are combined into the denoiser of p(θ | x₁, …, x_N).</summary>
public enum CompositionMethod
{
    /// <summary>Sum of scores, Σᵢ s(θ_t, xᵢ) + (1 − N)·w(t)·∇log p_t(θ_t) (Geffner et al. 2023, arXiv:2209.14249): one network call per observation, exact only at t = 0.</summary>
    Sum,

    /// <summary>GAUSS (Linhart et al. 2024, arXiv:2404.07593): precision-weighted, with each denoising covariance from a Gaussian fit of the single-observation posterior (pilot draws).</summary>
    Gauss,

    /// <summary>JAC (Linhart et al. 2024): precision-weighted, with each denoising covariance from Tweedie's formula (Dθ backward passes per observation).</summary>
    Jac,
}
