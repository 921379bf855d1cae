using System.Text.Json.Serialization;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Training;

/// <summary>The EDM weighting in noise space, w(λ) = 1 + e^{−λ}/σ_d² (Karras et al. 2022, arXiv:2206.00364, written in log-SNR as in BayesFlow).</summary>
/// <remarks>With the noise-space loss this equals EDM's data-space weighting λ(σ) = (σ² + σ_d²)/(σ σ_d)², i.e. an unweighted loss on F.</remarks>
public sealed class EdmWeighting : LossWeighting
{
    /// <summary>Creates the weighting for data standard deviation <paramref name="sigmaData"/>.</summary>
    [JsonConstructor]
    public EdmWeighting(double sigmaData = 1.0)
    {
        Internal.Check.PositiveValue(sigmaData, nameof(sigmaData));
        SigmaData = sigmaData;
    }

    /// <summary>σ_data.</summary>
    public double SigmaData { get; }

    /// <inheritdoc />
    public override string Name => "edm";

    /// <inheritdoc />
    public override Tensor Weight(INoiseSchedule schedule, Tensor logSnr, Tensor uniform) => (-logSnr).exp().Div((SigmaData * SigmaData)).Add(1);
}
