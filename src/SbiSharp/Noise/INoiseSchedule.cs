using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace SbiSharp.Noise;

/// <summary>A noise schedule: θ_t = α_t θ + σ_t ε with t ∈ [0, 1], t = 0 data and t = 1 noise.</summary>
/// <remarks>
/// Everything is expressed through the log signal-to-noise ratio λ = log(α²/σ²), decreasing in t.
/// The forward SDE dθ_t = f(t) θ_t dt + g(t) dW has f = (d log α/dλ)·λ′(t) and g² = −λ′(t)·σ_t²
/// (Kingma et al. 2021, arXiv:2107.00630), which is what the samplers use. The library's schedules are stored in model files by type name.
/// </remarks>
[JsonConverter(typeof(ScheduleJsonConverter))]
public interface INoiseSchedule
{
    /// <summary>Smallest log-SNR on the sampling path (at t = 1).</summary>
    double LogSnrMin { get; }

    /// <summary>Largest log-SNR on the sampling path (at t = 0).</summary>
    double LogSnrMax { get; }

    /// <summary>λ(t) on the sampling path.</summary>
    double LogSnr(double t);

    /// <summary>dλ/dt on the sampling path (negative).</summary>
    double LogSnrDerivative(double t);

    /// <summary>Training log-SNRs for uniform draws <paramref name="u"/> ∈ [0, 1] (any shape), by the inverse CDF of the training distribution.</summary>
    Tensor TrainingLogSnr(Tensor u);

    /// <summary>The signal scale α and noise scale σ at log-SNR <paramref name="logSnr"/>.</summary>
    (double Alpha, double Sigma) Scales(double logSnr);

    /// <summary>α and σ for a tensor of log-SNRs (same shape out).</summary>
    (Tensor Alpha, Tensor Sigma) Scales(Tensor logSnr);

    /// <summary>d log α / dλ at <paramref name="logSnr"/>.</summary>
    double LogAlphaDerivative(double logSnr);
}
