using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>Flow-matching velocity: the network predicts u = ε − θ (noise minus data), so D = (θ_t − σ û)/(α + σ).</summary>
/// <remarks>
/// On the rectified path (α = 1 − t, σ = t) u is dθ_t/dt, the conditional flow-matching target x₁ − x₀ of Lipman et al. 2022
/// (arXiv:2210.02747) and Liu et al. 2022 (arXiv:2209.03003) written with t = 1 as noise; there D = θ_t − t·û.
/// </remarks>
public sealed class FlowVelocityParameterization : Parameterization
{
    /// <inheritdoc />
    public override string Name => "flow-velocity";

    /// <inheritdoc />
    public override Tensor LossScale(Tensor logSnr, Tensor alpha, Tensor sigma) => (alpha.Plus(sigma)) / sigma;

    /// <inheritdoc />
    public override Tensor OutputScale(Tensor logSnr, Tensor alpha, Tensor sigma) => sigma / (alpha.Plus(sigma));

    /// <inheritdoc />
    public override Tensor ToDenoised(Tensor output, Tensor thetaT, Tensor logSnr, Tensor alpha, Tensor sigma) =>
        (thetaT - sigma * output) / (alpha.Plus(sigma));
}
