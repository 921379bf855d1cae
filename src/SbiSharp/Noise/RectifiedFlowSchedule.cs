using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Noise;

/// <summary>The straight path of flow matching: θ_t = (1 − τ)θ + τε, so α = 1 − τ, σ = τ and λ = 2 log((1 − τ)/τ).</summary>
/// <remarks>
/// Liu et al. 2022 (arXiv:2209.03003), Lipman et al. 2022 (arXiv:2210.02747). τ = τ_min + t(1 − 2τ_min) keeps λ finite at
/// both ends. Training draws t = u^{1/(1+a)} (power law with exponent a; a = 0 uniform, a &lt; 0 favours noisy times,
/// as in the review's flow-matching variants).
/// </remarks>
public sealed class RectifiedFlowSchedule : LogSnrSchedule
{
    /// <summary>Default τ_min.</summary>
    public const double DefaultTimeMin = 1e-4;

    /// <summary>Creates the schedule.</summary>
    /// <param name="timePower">Power-law exponent a of the training times, above −1.</param>
    /// <param name="timeMin">τ_min in (0, 0.5).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public RectifiedFlowSchedule(double timePower = 0, double timeMin = DefaultTimeMin)
        : base(VarianceForm.Rectified)
    {
        if (!(timePower > -1 && double.IsFinite(timePower))) throw new ArgumentOutOfRangeException(nameof(timePower), timePower, $"`timePower` must exceed −1; got {timePower}.");
        if (!(timeMin > 0 && timeMin < 0.5)) throw new ArgumentOutOfRangeException(nameof(timeMin), timeMin, $"`timeMin` must lie in (0, 0.5); got {timeMin}.");
        (TimePower, TimeMin) = (timePower, timeMin);
    }

    /// <summary>Power-law exponent a of the training times.</summary>
    public double TimePower { get; }

    /// <summary>τ_min.</summary>
    public double TimeMin { get; }

    /// <inheritdoc />
    public override double LogSnr(double t)
    {
        var tau = Tau(CheckTime(t));
        return 2 * Math.Log((1 - tau) / tau);
    }

    /// <inheritdoc />
    public override double LogSnrDerivative(double t)
    {
        var tau = Tau(CheckTime(t));
        return -2 * (1 - 2 * TimeMin) / (tau * (1 - tau));
    }

    /// <inheritdoc />
    public override Tensor TrainingLogSnr(Tensor u)
    {
        ArgumentNullException.ThrowIfNull(u);
        using var scope = NewDisposeScope();
        var t = u.to(ScalarType.Float64).Clamp(0, 1).Pow(1 / (1 + TimePower));
        return LogSnr(t).to(u.dtype).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor LogSnr(Tensor t)
    {
        var tau = t.Mul((1 - 2 * TimeMin)).Add(TimeMin);
        return ((tau.RSub(1)) / tau).log().Mul(2);
    }

    private double Tau(double t) => TimeMin + t * (1 - 2 * TimeMin);
}
