namespace SbiSharp.Diagnostics;

/// <summary>Kernels for <see cref="Mmd"/>.</summary>
public enum MmdKernel
{
    /// <summary>Gaussian k = exp(−‖a − b‖²/(2h²)) with h the median pairwise distance within the reference sample.</summary>
    Gaussian,

    /// <summary>Inverse-multiquadric mixture k = Σₛ s/(‖a − b‖² + s), s ∈ logspace(−6, 6, 11) (BayesFlow's default).</summary>
    InverseMultiquadric,
}
