using System.Text.Json.Serialization;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Training;

/// <summary>Sigmoid weighting w(λ) = sigmoid(b − λ) (Kingma &amp; Gao 2023, arXiv:2303.00848; BayesFlow uses b = 2 with its cosine schedule).</summary>
/// <remarks>In noise space it down-weights nearly clean inputs, where the ε error is large but uninformative.</remarks>
public sealed class SigmoidWeighting : LossWeighting
{
    /// <summary>Default bias b.</summary>
    public const double DefaultBias = 2.0;

    /// <summary>Creates the weighting with bias <paramref name="bias"/>.</summary>
    [JsonConstructor]
    public SigmoidWeighting(double bias = DefaultBias)
    {
        if (!double.IsFinite(bias)) throw new ArgumentOutOfRangeException(nameof(bias), bias, $"`bias` must be finite; got {bias}.");
        Bias = bias;
    }

    /// <summary>b.</summary>
    public double Bias { get; }

    /// <inheritdoc />
    public override string Name => "sigmoid";

    /// <inheritdoc />
    public override Tensor Weight(INoiseSchedule schedule, Tensor logSnr, Tensor uniform) => (logSnr.RSub(Bias)).sigmoid();
}
