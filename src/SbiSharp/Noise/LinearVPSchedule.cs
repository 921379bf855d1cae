using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Noise;

/// <summary>The linear variance-preserving schedule of Ho et al. 2020 in continuous time: β(τ) = β_min + τ(β_max − β_min).</summary>
/// <remarks>
/// α² = exp(−∫₀^τ β) = exp(−g), g(τ) = τβ_min + τ²(β_max − β_min)/2, σ² = 1 − α², so λ = −log(e^g − 1)
/// (Song et al. 2021, arXiv:2011.13456, the VP SDE). τ = τ_min + t(1 − τ_min) keeps λ finite at t = 0.
/// </remarks>
public sealed class LinearVPSchedule : LogSnrSchedule
{
    /// <summary>Default β_min.</summary>
    public const double DefaultBetaMin = 0.1;

    /// <summary>Default β_max.</summary>
    public const double DefaultBetaMax = 20;

    /// <summary>Default smallest diffusion time τ_min.</summary>
    public const double DefaultTimeMin = 1e-5;

    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">β_min ≤ 0, β_max ≤ β_min, or τ_min outside (0, 1).</exception>
    public LinearVPSchedule(double betaMin = DefaultBetaMin, double betaMax = DefaultBetaMax, double timeMin = DefaultTimeMin)
        : base(VarianceForm.Preserving)
    {
        if (!(betaMin > 0)) throw new ArgumentOutOfRangeException(nameof(betaMin), betaMin, $"`betaMin` must be positive; got {betaMin}.");
        if (!(betaMax > betaMin && double.IsFinite(betaMax))) throw new ArgumentOutOfRangeException(nameof(betaMax), betaMax, $"`betaMax` must exceed `betaMin` ({betaMin}); got {betaMax}.");
        if (!(timeMin > 0 && timeMin < 1)) throw new ArgumentOutOfRangeException(nameof(timeMin), timeMin, $"`timeMin` must lie in (0, 1); got {timeMin}.");
        (BetaMin, BetaMax, TimeMin) = (betaMin, betaMax, timeMin);
    }

    /// <summary>β at τ = 0.</summary>
    public double BetaMin { get; }

    /// <summary>β at τ = 1.</summary>
    public double BetaMax { get; }

    /// <summary>Smallest diffusion time τ_min (t = 0 maps to it).</summary>
    public double TimeMin { get; }

    /// <inheritdoc />
    public override double LogSnr(double t) => -Math.Log(Math.Exp(G(Tau(CheckTime(t)))) - 1);

    /// <inheritdoc />
    public override double LogSnrDerivative(double t)
    {
        var tau = Tau(CheckTime(t));
        var g = G(tau);
        var dg = BetaMin + tau * (BetaMax - BetaMin);
        return -dg * (1 - TimeMin) / (1 - Math.Exp(-g));
    }

    /// <inheritdoc />
    protected override Tensor LogSnr(Tensor t)
    {
        var tau = t.Mul((1 - TimeMin)).Add(TimeMin);
        return -(tau.Mul(BetaMin).Plus(tau.Square().Mul((0.5 * (BetaMax - BetaMin))))).expm1().log();
    }

    private double Tau(double t) => TimeMin + t * (1 - TimeMin);

    private double G(double tau) => tau * BetaMin + 0.5 * tau * tau * (BetaMax - BetaMin);
}
