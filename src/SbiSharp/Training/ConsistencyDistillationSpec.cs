using System.Text.Json.Serialization;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Internal;
using SbiSharp.Sampling;

namespace SbiSharp.Training;

/// <summary>Consistency distillation (Song et al. 2023, arXiv:2303.01469, §4): a consistency model trained to reproduce a trained diffusion or flow-matching model's
/// probability-flow ODE, so that any model a user already has samples in one to a few network calls.</summary>
/// <remarks>
/// For a training θ noised to σ_{i+1}, the teacher takes one deterministic step of its ODE to σ_i (<see cref="TeacherStep"/>: Heun by default; the DDIM step is
/// θ̂_i = D + (σ_i/σ_{i+1})(θ_{i+1} − D) in variance-exploding units, D the teacher's denoised mean), and the student is trained so that f_θ(θ_{i+1}, σ_{i+1}) = f_θ⁻(θ̂_i, σ_i), with the pseudo-Huber
/// distance, λ = 1/(σ_{i+1} − σ_i), the pair drawn log-normally on a fixed Karras grid of <see cref="Intervals"/> intervals (as <see cref="ConsistencyTrainingSpec"/>) and
/// θ⁻ = stop-gradient(θ). The student works in the teacher's standardized units. Build one with <see cref="ConsistencyDistillation.Distill"/>
/// (<c>sbisharp distill</c>); the teacher is not stored in the student's file, only <see cref="TeacherDescription"/>.
/// </remarks>
public sealed record ConsistencyDistillationSpec : ObjectiveSpec
{
    /// <summary>The teacher's denoiser in the student's standardized units (set by <see cref="ConsistencyDistillation.Distill"/>; null in a loaded model).</summary>
    [JsonIgnore]
    public IDenoiser? Teacher { get; init; }

    /// <summary>What the student was distilled from (for the model file; e.g. the teacher's file and objective).</summary>
    public string? TeacherDescription { get; init; }

    /// <summary>Intervals of the Karras grid the teacher steps on.</summary>
    public int Intervals { get; init; } = 40;

    /// <summary>The teacher's ODE step from σ_{i+1} to σ_i.</summary>
    public TeacherStep TeacherStep { get; init; } = TeacherStep.Heun;

    /// <summary>P_mean of the log-normal choice of ln σ.</summary>
    public double MeanLogSigma { get; init; } = -1.1;

    /// <summary>P_std of the log-normal choice of ln σ.</summary>
    public double SdLogSigma { get; init; } = 2.0;

    /// <summary>c of the pseudo-Huber distance per √Dθ.</summary>
    public double HuberScale { get; init; } = 0.00054;

    /// <summary>Training length when <see cref="TrainingOptions.MaxSteps"/> is null.</summary>
    public long TrainingSteps { get; init; } = 20_000;

    /// <summary>Steps of the default sampler (<see cref="ConsistencySampler"/>).</summary>
    public int SamplingSteps { get; init; } = 4;

    /// <inheritdoc />
    [JsonIgnore]
    public override bool LearnsDenoiser => false;

    /// <inheritdoc />
    public override long? DefaultTrainingSteps => TrainingSteps;

    /// <summary>The multistep sampler on the training grid: uniform in t (the student's EDM schedule maps it to the Karras grid the teacher stepped on), so with
    /// <see cref="SamplingSteps"/> dividing <see cref="Intervals"/> every jump starts at a trained level. Off the grid the student is poor (two_moons: 4 jumps on the
    /// log-SNR grid C2ST 0.87, on the training grid 0.54; docs/consistency-models.md).</summary>
    public override DiffusionSampler DefaultSampler() => ConsistencySampler.UniformInTime(SamplingSteps);

    /// <inheritdoc />
    public override string? SamplerWarning(DiffusionSampler sampler)
    {
        if (sampler is not ConsistencySampler consistency) return null;
        var off = Enumerable.Range(0, consistency.Steps).Select(consistency.TimeAt)
            .Any(t => Math.Abs(t * Intervals - Math.Round(t * Intervals)) > 1e-6);
        return consistency.Times is null || off
            ? $"The sampler '{sampler.Name}' jumps from noise levels off the distilled model's training grid ({Intervals} intervals, uniform in t); the student was trained only on that grid and is poor between its levels. Use ConsistencySampler.UniformInTime(n) with n dividing {Intervals} (the default), or --sampler consistency with an explicit grid."
            : null;
    }

    /// <inheritdoc />
    public override ObjectiveSpec Validate()
    {
        Check.PositiveValue(Intervals, nameof(Intervals));
        if (!Enum.IsDefined(TeacherStep))
            throw new ArgumentOutOfRangeException(nameof(TeacherStep), TeacherStep, $"`TeacherStep` must be one of {string.Join(", ", Enum.GetNames<TeacherStep>())}; got {TeacherStep}.");
        if (!double.IsFinite(MeanLogSigma)) throw new ArgumentOutOfRangeException(nameof(MeanLogSigma), MeanLogSigma, $"`MeanLogSigma` must be finite; got {MeanLogSigma}.");
        Check.PositiveValue(SdLogSigma, nameof(SdLogSigma));
        Check.PositiveValue(HuberScale, nameof(HuberScale));
        Check.PositiveValue(TrainingSteps, nameof(TrainingSteps));
        Check.PositiveValue(SamplingSteps, nameof(SamplingSteps));
        if (Intervals % SamplingSteps != 0)
            throw new ArgumentOutOfRangeException(nameof(SamplingSteps), SamplingSteps, $"`SamplingSteps` must divide `Intervals` = {Intervals} so that every jump starts on the training grid; got {SamplingSteps}.");
        return this;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No teacher (a loaded student, or a spec built by hand without one).</exception>
    public override ITrainingObjective Create(DiffusionEstimatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate();
        var teacher = Teacher ?? throw new InvalidOperationException(
            $"Consistency distillation needs a teacher: distill with {nameof(ConsistencyDistillation)}.{nameof(ConsistencyDistillation.Distill)} (sbisharp distill --model teacher.sbis); a loaded student has none and cannot be trained further.");
        ConsistencyFamily.RefuseDenoiserOptions(options, "distilled consistency model");
        var boundary = ConsistencyFamily.RequireBoundary(options, "distilled consistency model");
        return new ConsistencyDistillationObjective(this, teacher, options.Schedule, boundary);
    }
}
