using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Noise;

/// <summary>The variance-exploding schedule with geometric noise levels: α = 1, σ(t) = σ_min (σ_max/σ_min)^t.</summary>
/// <remarks>λ(t) = −2 log σ_min − 2t log(σ_max/σ_min), linear in t (Song &amp; Ermon 2020, arXiv:2006.09011; Song et al. 2021, arXiv:2011.13456, the VE SDE).</remarks>
public sealed class GeometricVESchedule : LogSnrSchedule
{
    /// <summary>Default σ_min.</summary>
    public const double DefaultSigmaMin = 0.01;

    /// <summary>Default σ_max (in standardized units of θ).</summary>
    public const double DefaultSigmaMax = 50;

    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">σ_min ≤ 0 or σ_max ≤ σ_min.</exception>
    public GeometricVESchedule(double sigmaMin = DefaultSigmaMin, double sigmaMax = DefaultSigmaMax)
        : base(VarianceForm.Exploding)
    {
        if (!(sigmaMin > 0)) throw new ArgumentOutOfRangeException(nameof(sigmaMin), sigmaMin, $"`sigmaMin` must be positive; got {sigmaMin}.");
        if (!(sigmaMax > sigmaMin && double.IsFinite(sigmaMax))) throw new ArgumentOutOfRangeException(nameof(sigmaMax), sigmaMax, $"`sigmaMax` must exceed `sigmaMin` ({sigmaMin}); got {sigmaMax}.");
        (SigmaMin, SigmaMax) = (sigmaMin, sigmaMax);
    }

    /// <summary>σ at t = 0.</summary>
    public double SigmaMin { get; }

    /// <summary>σ at t = 1.</summary>
    public double SigmaMax { get; }

    /// <inheritdoc />
    public override double LogSnr(double t) => -2 * Math.Log(SigmaMin) - 2 * CheckTime(t) * Math.Log(SigmaMax / SigmaMin);

    /// <inheritdoc />
    public override double LogSnrDerivative(double t)
    {
        CheckTime(t);
        return -2 * Math.Log(SigmaMax / SigmaMin);
    }

    /// <inheritdoc />
    protected override Tensor LogSnr(Tensor t) => t.Mul(2 * Math.Log(SigmaMax / SigmaMin)).RSub(-2 * Math.Log(SigmaMin));
}
