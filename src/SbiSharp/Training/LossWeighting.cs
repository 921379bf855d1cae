using System.Text.Json.Serialization;
using SbiSharp.Noise;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>A per-noise-level weight w(λ) multiplying the squared error of the loss space (<see cref="Estimators.DiffusionEstimatorOptions.Loss"/>).</summary>
/// <remarks>Kingma &amp; Gao 2023 (arXiv:2303.00848) show every weighting is an ELBO under data augmentation; the choice changes which noise levels the network fits best.</remarks>
[JsonConverter(typeof(WeightingJsonConverter))]
public abstract class LossWeighting
{
    /// <summary>A short name for tables.</summary>
    [JsonIgnore]
    public abstract string Name { get; }

    /// <summary>The weights.</summary>
    /// <param name="schedule">The schedule the training log-SNRs came from.</param>
    /// <param name="logSnr">λ per row, (B, 1).</param>
    /// <param name="uniform">The uniform draws u ∈ [0, 1] that produced <paramref name="logSnr"/> through <see cref="INoiseSchedule.TrainingLogSnr"/>, (B, 1).</param>
    /// <returns>w, (B, 1), a fresh tensor.</returns>
    public abstract Tensor Weight(INoiseSchedule schedule, Tensor logSnr, Tensor uniform);

    /// <inheritdoc />
    public override string ToString() => Name;
}
