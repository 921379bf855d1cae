using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace SbiSharp.Denoising;

/// <summary>What the network predicts, and how its output becomes the denoised mean E[θ | θ_t, x].</summary>
/// <remarks>
/// For θ_t = αθ + σε every target is an affine function of the denoised mean D, so each parameterization only maps the raw
/// network output to D; losses (<see cref="Training.LossSpace"/>) and samplers work from D. Stored in the model file by its
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

    /// <inheritdoc />
    public override string ToString() => Name;
}
