namespace SbiSharp.Noise;

/// <summary>Parameters of the EDM schedule (Karras et al. 2022), with BayesFlow's defaults.</summary>
public sealed record EdmScheduleOptions
{
    /// <summary>Default options.</summary>
    public static EdmScheduleOptions Default { get; } = new();

    /// <summary>σ_data, the assumed data standard deviation (1 after standardization).</summary>
    public double SigmaData { get; init; } = 1.0;

    /// <summary>σ_min: noise level at t = 0.</summary>
    public double SigmaMin { get; init; } = 1e-4;

    /// <summary>σ_max: noise level at t = 1.</summary>
    public double SigmaMax { get; init; } = 80.0;

    /// <summary>ρ of the sampling grid σ(t) = (σ_max^{1/ρ} + (1 − t)(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ.</summary>
    public double Rho { get; init; } = 7.0;

    /// <summary>Mean of the training log-SNR distribution N(mean, std²) (= −2·P_mean of EDM).</summary>
    public double TrainingLogSnrMean { get; init; } = 2.4;

    /// <summary>Std of the training log-SNR distribution (= 2·P_std of EDM).</summary>
    public double TrainingLogSnrStd { get; init; } = 2.4;

    /// <summary>α/σ form.</summary>
    public VarianceForm Form { get; init; } = VarianceForm.Preserving;

    /// <summary>Throws on the first invalid field.</summary>
    public EdmScheduleOptions Validate()
    {
        Internal.Check.PositiveValue(SigmaData, nameof(SigmaData));
        Internal.Check.PositiveValue(SigmaMin, nameof(SigmaMin));
        Internal.Check.PositiveValue(SigmaMax, nameof(SigmaMax));
        if (SigmaMin >= SigmaMax)
            throw new ArgumentOutOfRangeException(nameof(SigmaMin), SigmaMin, $"`SigmaMin` must be less than `SigmaMax` ({SigmaMax}); got {SigmaMin}.");
        Internal.Check.PositiveValue(Rho, nameof(Rho));
        Internal.Check.PositiveValue(TrainingLogSnrStd, nameof(TrainingLogSnrStd));
        if (!double.IsFinite(TrainingLogSnrMean))
            throw new ArgumentOutOfRangeException(nameof(TrainingLogSnrMean), TrainingLogSnrMean, $"`TrainingLogSnrMean` must be finite; got {TrainingLogSnrMean}.");
        return this;
    }
}
