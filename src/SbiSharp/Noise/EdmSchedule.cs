using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Noise;

/// <summary>The EDM noise schedule (Karras et al. 2022, arXiv:2206.00364) written as a log-SNR schedule, as in BayesFlow.</summary>
/// <remarks>
/// Sampling path: σ(t) = (σ_max^{1/ρ} + (1 − t)(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ and λ(t) = −2 log σ(t), so a uniform grid in t
/// is the Karras ρ-grid. Training: λ ~ N(2.4, 2.4²) drawn by the inverse CDF and clipped to [λ_min − 1, λ_max + 1]
/// (Arruda et al. 2025, the diffusion-for-SBI review; BayesFlow's EDMNoiseSchedule). With σ_data = 1, λ_min = −2 log 80 ≈ −8.76 and
/// λ_max = −2 log 1e-4 ≈ 18.4.
/// </remarks>
public sealed class EdmSchedule : INoiseSchedule
{
    private readonly double _maxRho;
    private readonly double _minRho;

    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid.</exception>
    public EdmSchedule(EdmScheduleOptions? options = null)
    {
        Options = (options ?? EdmScheduleOptions.Default).Validate();
        _maxRho = Math.Pow(Options.SigmaMax, 1 / Options.Rho);
        _minRho = Math.Pow(Options.SigmaMin, 1 / Options.Rho);
        LogSnrMin = -2 * Math.Log(Options.SigmaMax);
        LogSnrMax = -2 * Math.Log(Options.SigmaMin);
    }

    /// <summary>The options.</summary>
    public EdmScheduleOptions Options { get; }

    /// <inheritdoc />
    public double LogSnrMin { get; }

    /// <inheritdoc />
    public double LogSnrMax { get; }

    /// <inheritdoc />
    public double LogSnr(double t) => -2 * Options.Rho * Math.Log(_maxRho + (1 - t) * (_minRho - _maxRho));

    /// <inheritdoc />
    public double LogSnrDerivative(double t) => 2 * Options.Rho * (_minRho - _maxRho) / (_maxRho + (1 - t) * (_minRho - _maxRho));

    /// <inheritdoc />
    public Tensor TrainingLogSnr(Tensor u)
    {
        using var scope = NewDisposeScope();
        var z = (u.Clamp(1e-7, 1 - 1e-7).Mul(2).Sub(1)).erfinv().Mul(Math.Sqrt(2));
        var logSnr = z.Mul(Options.TrainingLogSnrStd).Add(Options.TrainingLogSnrMean);
        return logSnr.Clamp(LogSnrMin - 1, LogSnrMax + 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (double Alpha, double Sigma) Scales(double logSnr) => VarianceForms.Scales(Options.Form, logSnr);

    /// <inheritdoc />
    public (Tensor Alpha, Tensor Sigma) Scales(Tensor logSnr) => VarianceForms.Scales(Options.Form, logSnr);

    /// <inheritdoc />
    public double LogAlphaDerivative(double logSnr) => VarianceForms.LogAlphaDerivative(Options.Form, logSnr);
}
