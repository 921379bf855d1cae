using System.Text.Json.Serialization;
using SbiSharp.Estimators;
using SbiSharp.Internal;
using SbiSharp.Sampling;

namespace SbiSharp.Training;

/// <summary>Consistency training (Song et al. 2023, arXiv:2303.01469), in its improved form (iCT, Song &amp; Dhariwal 2023, arXiv:2310.14189) as used for SBI by CMPE
/// (Schmitt et al. 2024): a model family whose network maps any noisy θ_t straight to a clean draw, sampled in one to a few network evaluations.</summary>
/// <remarks>
/// The network, read through the boundary parameterization <see cref="Denoising.ConsistencyParameterization"/>, is trained so that adjacent noise levels of one
/// noised draw map to the same point: loss λ(σ_i)·d(f_θ(θ + σ_{i+1}z, σ_{i+1}), f_θ⁻(θ + σ_i z, σ_i)) with θ⁻ = stop-gradient(θ) (iCT; not an EMA), λ = 1/(σ_{i+1} − σ_i),
/// the pseudo-Huber distance d(a, b) = √(‖a − b‖² + c²) − c, the pair drawn log-normally (P_mean −1.1, P_std 2.0) on a Karras grid whose number of intervals
/// doubles from <see cref="InitialDiscretization"/> to <see cref="FinalDiscretization"/> over <see cref="CurriculumSteps"/>. Validation uses the final grid;
/// it is reported, but it cannot rank models (a constant function is perfectly self-consistent), so training runs <see cref="TrainingSteps"/> and keeps the last weights.
/// The EMA of the weights (the trainer's) is what samples. Sampled by the multistep <see cref="ConsistencySampler"/>.
/// No score is learned: guidance, composition and <c>LogProb</c> are refused.
/// </remarks>
public sealed record ConsistencyTrainingSpec : ObjectiveSpec
{
    /// <summary>Default options.</summary>
    public static ConsistencyTrainingSpec Default { get; } = new();

    /// <summary>s₀, intervals of the grid at the start of training (BayesFlow: 10).</summary>
    public int InitialDiscretization { get; init; } = 10;

    /// <summary>s₁, intervals at the end of the curriculum and for validation (BayesFlow: 150; iCT: 1280). Measured both (docs/consistency-models.md): at 1280
    /// the 2-D Gaussian-linear posterior comes out right (4 jumps: means within 0.1 posterior sd, sds within 10 %), where 150 draws means up to 0.7 sd toward
    /// the prior and sds 28 % narrow; but within 20,000 steps 1280 scores worse on sbibm (two_moons C2ST 0.774 vs 0.677, gaussian_mixture 0.678 vs 0.619),
    /// so the default stays at 150.</summary>
    public int FinalDiscretization { get; init; } = 150;

    /// <summary>Gradient steps over which the grid doubles from s₀ to s₁ (then stays at s₁); null (default): the run's length, as BayesFlow does.</summary>
    public long? CurriculumSteps { get; init; }

    /// <summary>Training length when <see cref="TrainingOptions.MaxSteps"/> is null: consistency training cannot stop early (its loss does not rank models).</summary>
    public long TrainingSteps { get; init; } = 20_000;

    /// <inheritdoc />
    public override long? DefaultTrainingSteps => TrainingSteps;

    /// <summary>P_mean of the log-normal choice of ln σ.</summary>
    public double MeanLogSigma { get; init; } = -1.1;

    /// <summary>P_std of the log-normal choice of ln σ.</summary>
    public double SdLogSigma { get; init; } = 2.0;

    /// <summary>c of the pseudo-Huber distance per √Dθ: c = this·√Dθ (iCT: 0.00054).</summary>
    public double HuberScale { get; init; } = 0.00054;

    /// <summary>Steps of the default sampler (<see cref="ConsistencySampler"/>); chosen by the measurement in docs/consistency-models.md.</summary>
    public int SamplingSteps { get; init; } = 4;

    /// <inheritdoc />
    [JsonIgnore]
    public override bool LearnsDenoiser => false;

    /// <inheritdoc />
    public override DiffusionSampler DefaultSampler() => new ConsistencySampler(SamplingSteps);

    /// <inheritdoc />
    public override string? SamplerWarning(DiffusionSampler sampler) =>
        sampler is ConsistencySampler { Steps: var steps } && steps > FinalDiscretization
            ? $"Sampling with {steps} consistency steps, more than the {FinalDiscretization} intervals of the training grid: the extra steps re-noise between levels the model was never trained to connect. Use at most {FinalDiscretization}."
            : null;

    /// <inheritdoc />
    public override ObjectiveSpec Validate()
    {
        Check.PositiveValue(InitialDiscretization, nameof(InitialDiscretization));
        if (FinalDiscretization < InitialDiscretization)
            throw new ArgumentOutOfRangeException(nameof(FinalDiscretization), FinalDiscretization, $"`FinalDiscretization` must be at least `InitialDiscretization` = {InitialDiscretization}; got {FinalDiscretization}.");
        if (CurriculumSteps is { } curriculum) Check.PositiveValue(curriculum, nameof(CurriculumSteps));
        Check.PositiveValue(TrainingSteps, nameof(TrainingSteps));
        if (!double.IsFinite(MeanLogSigma)) throw new ArgumentOutOfRangeException(nameof(MeanLogSigma), MeanLogSigma, $"`MeanLogSigma` must be finite; got {MeanLogSigma}.");
        Check.PositiveValue(SdLogSigma, nameof(SdLogSigma));
        Check.PositiveValue(HuberScale, nameof(HuberScale));
        Check.PositiveValue(SamplingSteps, nameof(SamplingSteps));
        return this;
    }

    /// <inheritdoc />
    public override ITrainingObjective Create(DiffusionEstimatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate();
        ConsistencyFamily.RefuseDenoiserOptions(options, "consistency model");
        var boundary = ConsistencyFamily.RequireBoundary(options, "consistency model");
        return new ConsistencyTrainingObjective(this, options.Schedule, boundary);
    }
}
