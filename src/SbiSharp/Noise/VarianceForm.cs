using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Noise;

/// <summary>How α and σ follow from λ: variance preserving (α² + σ² = 1), variance exploding (α = 1) or the rectified-flow interpolation (α + σ = 1).</summary>
public enum VarianceForm
{
    /// <summary>α² = sigmoid(λ), σ² = sigmoid(−λ) (Song et al. 2021, arXiv:2011.13456).</summary>
    Preserving,

    /// <summary>α = 1, σ = exp(−λ/2) (Karras et al. 2022, arXiv:2206.00364).</summary>
    Exploding,

    /// <summary>α = sigmoid(λ/2), σ = sigmoid(−λ/2), so α + σ = 1: the straight path of flow matching (Liu et al. 2022, arXiv:2209.03003; Lipman et al. 2022, arXiv:2210.02747).</summary>
    Rectified,
}

/// <summary>The α/σ maps of each <see cref="VarianceForm"/>.</summary>
internal static class VarianceForms
{
    public static (double Alpha, double Sigma) Scales(VarianceForm form, double logSnr) => form switch
    {
        VarianceForm.Preserving => (Math.Sqrt(Sigmoid(logSnr)), Math.Sqrt(Sigmoid(-logSnr))),
        VarianceForm.Rectified => (Sigmoid(0.5 * logSnr), Sigmoid(-0.5 * logSnr)),
        _ => (1.0, Math.Exp(-0.5 * logSnr)),
    };

    public static (Tensor Alpha, Tensor Sigma) Scales(VarianceForm form, Tensor logSnr) => form switch
    {
        VarianceForm.Preserving => (logSnr.sigmoid().sqrt(), (-logSnr).sigmoid().sqrt()),
        VarianceForm.Rectified => ((logSnr.Mul(0.5)).sigmoid(), (logSnr.Mul(-0.5)).sigmoid()),
        _ => (ones_like(logSnr), (logSnr.Mul(-0.5)).exp()),
    };

    public static double LogAlphaDerivative(VarianceForm form, double logSnr) => form switch
    {
        VarianceForm.Preserving => 0.5 * Sigmoid(-logSnr),
        VarianceForm.Rectified => 0.5 * Sigmoid(-0.5 * logSnr),
        _ => 0.0,
    };

    public static double Sigmoid(double v) => v >= 0 ? 1 / (1 + Math.Exp(-v)) : Math.Exp(v) / (1 + Math.Exp(v));
}
