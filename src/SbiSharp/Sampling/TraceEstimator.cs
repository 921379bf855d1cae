namespace SbiSharp.Sampling;

/// <summary>How the divergence of the probability-flow velocity is computed.</summary>
public enum TraceEstimator
{
    /// <summary>Exact: one vector–Jacobian product per dimension (cost ∝ Dθ); the default for Dθ ≤ 16.</summary>
    Exact,

    /// <summary>Hutchinson's unbiased estimator εᵀ(∂v/∂θ)ε with Rademacher ε fixed along the path (Grathwohl et al. 2019, FFJORD, arXiv:1810.01367).</summary>
    Hutchinson,
}
