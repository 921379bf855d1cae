using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>Score prediction: the network predicts ∇log p(θ_t | x) = (αD − θ_t)/σ², so D = (θ_t + σ² ŝ)/α (Song et al. 2021, arXiv:2011.13456).</summary>
/// <remarks>The target grows like 1/σ at low noise, which is why the other targets are usually preferred; kept for the design space.</remarks>
public sealed class ScoreParameterization : Parameterization
{
    /// <inheritdoc />
    public override string Name => "score";

    /// <inheritdoc />
    public override Tensor OutputScale(Tensor logSnr, Tensor alpha, Tensor sigma) => sigma.Square() / alpha;

    /// <inheritdoc />
    public override Tensor ToDenoised(Tensor output, Tensor thetaT, Tensor logSnr, Tensor alpha, Tensor sigma) =>
        (thetaT.Plus(sigma.Square() * output)) / alpha;
}
