using SbiSharp.Noise;
using static TorchSharp.torch;

namespace SbiSharp.Denoising;

/// <summary>A conditional denoiser: (θ_t, λ, x) ↦ E[θ | θ_t, x], the posterior mean of clean parameters given noisy ones.</summary>
/// <remarks>
/// Samplers consume only this; score, ε and velocity all follow from it (<see cref="DenoiserMath"/>). Guidance and composition
/// wrap a denoiser. All tensors live in the model's (standardized) parameter space.
/// </remarks>
public interface IDenoiser
{
    /// <summary>The noise schedule the denoiser was trained with.</summary>
    INoiseSchedule Schedule { get; }

    /// <summary>Dθ.</summary>
    int ParameterDimension { get; }

    /// <summary>Denoises a batch.</summary>
    /// <param name="thetaT">Noisy parameters θ_t, shape (B, Dθ).</param>
    /// <param name="logSnr">Log-SNR λ of each row, shape (B, 1).</param>
    /// <param name="x">Observations (already standardized), shape (B, Dx).</param>
    /// <returns>The denoised mean, shape (B, Dθ), a fresh tensor.</returns>
    Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x);
}
