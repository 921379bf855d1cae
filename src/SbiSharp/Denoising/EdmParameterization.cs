using System.Text.Json.Serialization;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>The EDM "F" parameterization: D = c_skip·θ_t + c_out·F.</summary>
/// <remarks>
/// In log-SNR form (BayesFlow): c_skip = σ_d² α / (e^{−λ} + σ_d²), c_out = e^{−λ/2} σ_d / √(e^{−λ} + σ_d²)
/// (Karras et al. 2022, arXiv:2206.00364, Table 1), which keeps both the network's target and its effective skip bounded at
/// every noise level.
/// </remarks>
public sealed class EdmParameterization : Parameterization
{
    /// <summary>Creates it for data standard deviation <paramref name="sigmaData"/> (1 after standardization).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sigmaData"/> is not positive.</exception>
    [JsonConstructor]
    public EdmParameterization(double sigmaData = 1.0)
    {
        Internal.Check.PositiveValue(sigmaData, nameof(sigmaData));
        SigmaData = sigmaData;
    }

    /// <summary>σ_data.</summary>
    public double SigmaData { get; }

    /// <inheritdoc />
    public override string Name => "F";

    /// <summary>c_out(λ) = e^{−λ/2} σ_d / √(e^{−λ} + σ_d²), shape of <paramref name="logSnr"/>.</summary>
    public static Tensor OutputScale(Tensor logSnr, double sigmaData) =>
        (logSnr.Mul(-0.5)).exp().Mul(sigmaData) / ((-logSnr).exp().Add(sigmaData * sigmaData)).sqrt();

    /// <inheritdoc />
    public override Tensor OutputScale(Tensor logSnr, Tensor alpha, Tensor sigma) => OutputScale(logSnr, SigmaData);

    /// <inheritdoc />
    public override Tensor ToDenoised(Tensor output, Tensor thetaT, Tensor logSnr, Tensor alpha, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        var s2 = SigmaData * SigmaData;
        var cSkip = alpha.Mul(s2) / ((-logSnr).exp().Add(s2));
        return ((cSkip * thetaT).Plus(OutputScale(logSnr, SigmaData) * output)).MoveToOuterDisposeScope();
    }
}
