using static TorchSharp.torch;

namespace SbiSharp.Denoising;

/// <summary>ε-prediction: the network predicts the noise, D = (θ_t − σ ε̂)/α (Ho et al. 2020, arXiv:2006.11239).</summary>
/// <remarks>Division by α amplifies errors at high noise (small α); the review pairs it with cosine or linear VP schedules.</remarks>
public sealed class NoiseParameterization : Parameterization
{
    /// <inheritdoc />
    public override string Name => "noise";

    /// <inheritdoc />
    public override Tensor LossScale(Tensor logSnr, Tensor alpha, Tensor sigma) => alpha / sigma;

    /// <inheritdoc />
    public override Tensor OutputScale(Tensor logSnr, Tensor alpha, Tensor sigma) => sigma / alpha;

    /// <inheritdoc />
    public override Tensor ToDenoised(Tensor output, Tensor thetaT, Tensor logSnr, Tensor alpha, Tensor sigma) =>
        (thetaT - sigma * output) / alpha;
}
