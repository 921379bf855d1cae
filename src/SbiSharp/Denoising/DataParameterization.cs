using static TorchSharp.torch;

namespace SbiSharp.Denoising;

/// <summary>x-prediction: the network predicts the clean parameters directly, D = output.</summary>
public sealed class DataParameterization : Parameterization
{
    /// <inheritdoc />
    public override string Name => "data";

    /// <inheritdoc />
    public override Tensor LossScale(Tensor logSnr, Tensor alpha, Tensor sigma) => ones_like(logSnr);

    /// <inheritdoc />
    public override Tensor OutputScale(Tensor logSnr, Tensor alpha, Tensor sigma) => ones_like(logSnr);

    /// <inheritdoc />
    public override Tensor ToDenoised(Tensor output, Tensor thetaT, Tensor logSnr, Tensor alpha, Tensor sigma) => output.clone();
}
