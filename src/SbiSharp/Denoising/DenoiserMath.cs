using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>Conversions between the denoised mean and the other targets, for θ_t = α θ + σ ε.</summary>
public static class DenoiserMath
{
    /// <summary>Score ∇ log p(θ_t) = (α θ̂ − θ_t) / σ².</summary>
    public static Tensor Score(Tensor thetaT, Tensor denoised, double alpha, double sigma) =>
        (denoised.Mul(alpha) - thetaT).Div((sigma * sigma));

    /// <summary>Noise estimate ε̂ = (θ_t − α θ̂) / σ.</summary>
    public static Tensor Noise(Tensor thetaT, Tensor denoised, double alpha, double sigma) =>
        (thetaT - denoised.Mul(alpha)).Div(sigma);
}
