using System.Text.Json.Serialization;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Internal;
using SbiSharp.Networks;
using SbiSharp.Sampling;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>The stable continuous-time consistency model (sCM, Lu &amp; Song 2024, arXiv:2410.11081; BayesFlow's <c>StableConsistencyModel</c>): consistency training in
/// continuous time on the TrigFlow path.</summary>
/// <remarks>
/// TrigFlow: θ_t = cos(t)·θ + sin(t)·σ_d z, t ∈ [0, π/2], f = cos(t)·θ_t − sin(t)·σ_d·F. With standardized θ (σ_d = 1) this is the variance-preserving EDM schedule at
/// tan t = e^{−λ/2} with v-prediction (<see cref="VelocityParameterization"/>), which is how the estimator runs it. Training time: tan t = e^τ/σ_d, τ ~ N(P_mean, P_std)
/// = N(−1.0, 1.6). The loss (the paper's Algorithm 1): e^{w(t)}·mean_d (F_θ − F_θ⁻ − g)² − w(t) with g = −cos²t (σ_d F_θ⁻ − dθ_t/dt) − r cos t sin t (θ_t + σ_d dF_θ⁻/dt),
/// the tangent normalized g/(‖g‖ + c), c = 0.1, r rising linearly from 0 to 1 over <see cref="WarmupSteps"/> (tangent warm-up), w a learned adaptive weighting
/// (<see cref="AdaptiveWeightNetwork"/>), θ⁻ = stop-gradient(θ). The target and its time derivative are computed without dropout (the network in eval mode),
/// so that the derivative differentiates one function. No score is learned: guidance, composition and <c>LogProb</c> are refused.
/// </remarks>
public sealed record StableConsistencySpec : ObjectiveSpec
{
    /// <summary>Default options.</summary>
    public static StableConsistencySpec Default { get; } = new();

    /// <summary>P_mean of τ = ln(σ_d tan t).</summary>
    public double MeanLogTime { get; init; } = -1.0;

    /// <summary>P_std of τ.</summary>
    public double SdLogTime { get; init; } = 1.6;

    /// <summary>c of the tangent normalization g/(‖g‖ + c).</summary>
    public double TangentNormalization { get; init; } = 0.1;

    /// <summary>Steps of the tangent warm-up (r from 0 to 1); 0: none.</summary>
    public long WarmupSteps { get; init; } = 1_000;

    /// <summary>How the time derivative of the network is computed.</summary>
    public TangentMethod Tangent { get; init; } = TangentMethod.FiniteDifference;

    /// <summary>Step h of the central difference, in units of t (the direction is scaled by cos t sin t, so it is bounded at both ends of the path).</summary>
    public double FiniteDifferenceStep { get; init; } = 1e-3;

    /// <summary>Training length when <see cref="TrainingOptions.MaxSteps"/> is null: the loss does not rank models, so training cannot stop early.</summary>
    public long TrainingSteps { get; init; } = 20_000;

    /// <inheritdoc />
    public override long? DefaultTrainingSteps => TrainingSteps;

    /// <summary>Steps of the default sampler (<see cref="ConsistencySampler"/>); chosen by the measurement in docs/consistency-models.md.</summary>
    public int SamplingSteps { get; init; } = 4;

    /// <inheritdoc />
    [JsonIgnore]
    public override bool LearnsDenoiser => false;

    /// <inheritdoc />
    public override DiffusionSampler DefaultSampler() => new ConsistencySampler(SamplingSteps);

    /// <inheritdoc />
    public override ConditionalNetwork Wrap(ConditionalNetwork network, Generator generator) => new AdaptiveWeightNetwork(network, generator);

    /// <inheritdoc />
    public override ObjectiveSpec Validate()
    {
        if (!double.IsFinite(MeanLogTime)) throw new ArgumentOutOfRangeException(nameof(MeanLogTime), MeanLogTime, $"`MeanLogTime` must be finite; got {MeanLogTime}.");
        Check.PositiveValue(SdLogTime, nameof(SdLogTime));
        Check.PositiveValue(TangentNormalization, nameof(TangentNormalization));
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, $"`WarmupSteps` must be non-negative; got {WarmupSteps}.");
        if (!Enum.IsDefined(Tangent))
            throw new ArgumentOutOfRangeException(nameof(Tangent), Tangent, $"`Tangent` must be one of {string.Join(", ", Enum.GetNames<TangentMethod>())}; got {Tangent}.");
        if (!(FiniteDifferenceStep > 0 && FiniteDifferenceStep <= 0.1))
            throw new ArgumentOutOfRangeException(nameof(FiniteDifferenceStep), FiniteDifferenceStep, $"`FiniteDifferenceStep` must lie in (0, 0.1]; got {FiniteDifferenceStep}.");
        Check.PositiveValue(SamplingSteps, nameof(SamplingSteps));
        Check.PositiveValue(TrainingSteps, nameof(TrainingSteps));
        return this;
    }

    /// <inheritdoc />
    public override ITrainingObjective Create(DiffusionEstimatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate();
        ConsistencyFamily.RefuseDenoiserOptions(options, "stable consistency model");
        ConsistencyFamily.RequireVariancePreserving(options.Schedule, "stable consistency model");
        if (options.Prediction is not VelocityParameterization)
            throw new ArgumentException(
                $"A stable consistency model needs `{nameof(DiffusionEstimatorOptions.Prediction)}` = {nameof(VelocityParameterization)} (TrigFlow's f = cos t·θ_t − sin t·F); got '{options.Prediction.Name}'. Use the design '--method stable-consistency'.",
                nameof(options));
        return new StableConsistencyObjective(this, options.Schedule);
    }
}
