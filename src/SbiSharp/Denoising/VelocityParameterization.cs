using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>v-prediction: the network predicts v = αε − σθ, so D = (α θ_t − σ v̂)/(α² + σ²) (Salimans &amp; Ho 2022, arXiv:2202.00512).</summary>
public sealed class VelocityParameterization : Parameterization
{
    /// <inheritdoc />
    public override string Name => "velocity";

    /// <inheritdoc />
    public override Tensor LossScale(Tensor logSnr, Tensor alpha, Tensor sigma) => (alpha.Square().Plus(sigma.Square())) / sigma;

    /// <inheritdoc />
    public override Tensor OutputScale(Tensor logSnr, Tensor alpha, Tensor sigma) => sigma / (alpha.Square().Plus(sigma.Square()));

    /// <inheritdoc />
    public override Tensor ToDenoised(Tensor output, Tensor thetaT, Tensor logSnr, Tensor alpha, Tensor sigma) =>
        (alpha * thetaT - sigma * output) / (alpha.Square().Plus(sigma.Square()));
}
