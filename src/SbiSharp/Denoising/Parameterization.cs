using System.Text.Json.Serialization;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>What the network predicts, and how its output becomes the denoised mean E[θ | θ_t, x].</summary>
/// <remarks>
/// For θ_t = αθ + σε every target is an affine function of the denoised mean D, so each parameterization only maps the raw
/// network output to D, and samplers work from D. A parameterization also names a loss space: the error of its target is
/// c(λ)·(θ − D) with c = <see cref="LossScale"/>, so the squared error of any target can train a network of any other. Stored in the model file by its
/// type name. See Kingma &amp; Gao 2023 (arXiv:2303.00848) and Arruda et al. 2025 (the diffusion-for-SBI review).
/// </remarks>
[JsonConverter(typeof(ParameterizationJsonConverter))]
public abstract class Parameterization
{
    /// <summary>A short name for tables: "F", "noise", "velocity", "data", "score" or "flow-velocity".</summary>
    [JsonIgnore]
    public abstract string Name { get; }

    /// <summary>Converts the raw network output to the denoised mean.</summary>
    /// <param name="output">Network output, (B, D).</param>
    /// <param name="thetaT">Noisy input θ_t, (B, D).</param>
    /// <param name="logSnr">λ per row, (B, 1).</param>
    /// <param name="alpha">α per row, (B, 1).</param>
    /// <param name="sigma">σ per row, (B, 1).</param>
    /// <returns>D, (B, D), a fresh tensor.</returns>
    public abstract Tensor ToDenoised(Tensor output, Tensor thetaT, Tensor logSnr, Tensor alpha, Tensor sigma);

    /// <summary>|∂D/∂output| per row: how much an error of the network output moves the denoised mean (shape of <paramref name="logSnr"/>).</summary>
    /// <remarks>Together with the loss weight this gives the weight an error of the network output carries at each noise level; see <see cref="Training.ObjectiveConditioning"/>.</remarks>
    public abstract Tensor OutputScale(Tensor logSnr, Tensor alpha, Tensor sigma);

    /// <summary>c(λ) = 1/|∂D/∂output|: the error of this parameterization's target is c·(θ − D), for D any denoised mean (shape of <paramref name="logSnr"/>).</summary>
    /// <remarks>Used as the loss space (<see cref="Estimators.DiffusionEstimatorOptions.Loss"/>): ε: α/σ; v: (α² + σ²)/σ; flow velocity: (α + σ)/σ; EDM F: 1/c_out(λ, σ_d); data: 1; score: α/σ².</remarks>
    public virtual Tensor LossScale(Tensor logSnr, Tensor alpha, Tensor sigma)
    {
        using var scale = OutputScale(logSnr, alpha, sigma);
        return scale.RDiv(1);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
