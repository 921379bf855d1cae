using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Noise;

/// <summary>The cosine schedule in variance-preserving form with a log-SNR shift, truncated to λ ∈ [λ_min, λ_max].</summary>
/// <remarks>
/// λ(τ) = −2 log tan(πτ/2) + 2·shift (Nichol &amp; Dhariwal 2021, arXiv:2102.09672; shifted: Hoogeboom et al. 2023,
/// arXiv:2301.11093; BayesFlow's CosineNoiseSchedule), with τ = τ_min + t(τ_max − τ_min) chosen so that λ(0) = λ_max and
/// λ(1) = λ_min. Training draws t uniformly; the review pairs it with v- or ε-prediction and sigmoid loss weighting.
/// </remarks>
public sealed class CosineSchedule : LogSnrSchedule
{
    /// <summary>Default λ_min.</summary>
    public const double DefaultLogSnrMin = -15;

    /// <summary>Default λ_max.</summary>
    public const double DefaultLogSnrMax = 15;

    private readonly double _tauMin;
    private readonly double _tauMax;

    /// <summary>Creates the schedule.</summary>
    /// <param name="shift">Log-SNR shift s (λ moves by 2s); 0 is the plain cosine schedule.</param>
    /// <param name="logSnrMin">λ at t = 1.</param>
    /// <param name="logSnrMax">λ at t = 0, above <paramref name="logSnrMin"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or not finite.</exception>
    public CosineSchedule(double shift = 0, double logSnrMin = DefaultLogSnrMin, double logSnrMax = DefaultLogSnrMax)
        : base(VarianceForm.Preserving)
    {
        if (!double.IsFinite(shift)) throw new ArgumentOutOfRangeException(nameof(shift), shift, $"`shift` must be finite; got {shift}.");
        if (!(double.IsFinite(logSnrMin) && double.IsFinite(logSnrMax) && logSnrMin < logSnrMax))
            throw new ArgumentOutOfRangeException(nameof(logSnrMin), logSnrMin, $"`logSnrMin` must be finite and below `logSnrMax`; got {logSnrMin} and {logSnrMax}.");
        Shift = shift;
        _tauMin = 2 / Math.PI * Math.Atan(Math.Exp(-0.5 * (logSnrMax - 2 * shift)));
        _tauMax = 2 / Math.PI * Math.Atan(Math.Exp(-0.5 * (logSnrMin - 2 * shift)));
    }

    /// <summary>The log-SNR shift s.</summary>
    public double Shift { get; }

    /// <inheritdoc />
    public override double LogSnr(double t) => -2 * Math.Log(Math.Tan(Math.PI / 2 * Tau(CheckTime(t)))) + 2 * Shift;

    /// <inheritdoc />
    public override double LogSnrDerivative(double t) => -2 * Math.PI * (_tauMax - _tauMin) / Math.Sin(Math.PI * Tau(CheckTime(t)));

    /// <inheritdoc />
    protected override Tensor LogSnr(Tensor t) => ((t.Mul((_tauMax - _tauMin)).Add(_tauMin)).Mul(Math.PI / 2)).tan().log().Mul(-2).Add(2 * Shift);

    private double Tau(double t) => _tauMin + t * (_tauMax - _tauMin);
}
