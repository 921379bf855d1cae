using Microsoft.Extensions.Logging;
using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Noise;
using SbiSharp.Training;

namespace SbiSharp.Estimators;

/// <summary>Turns a trained diffusion or flow-matching model into a consistency model that samples in one to a few network calls (<see cref="ConsistencyDistillationSpec"/>).</summary>
public static class ConsistencyDistillation
{
    /// <summary>Trains a student consistency model on <paramref name="training"/> with <paramref name="teacher"/>'s probability-flow ODE as its target.</summary>
    /// <param name="teacher">A trained model that learns a denoiser (not itself a consistency model); it is only read.</param>
    /// <param name="training">(θ, x) pairs of the teacher's problem (the teacher's own training data, or fewer: the teacher carries the information).</param>
    /// <param name="spec">Grid, distance and length; null: the defaults.</param>
    /// <param name="options">Optimization settings; null: the defaults (the length is <see cref="ConsistencyDistillationSpec.TrainingSteps"/> unless MaxSteps is set).</param>
    /// <param name="teacherDescription">What to record as the teacher in the student's file (e.g. its path).</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="cancellationToken">Stops training after the current batch.</param>
    /// <returns>The student (the caller owns it) with its training record. The student has the teacher's network architecture, embedding, parameter transform, standardization and prior, with the consistency boundary
    /// parameterization on the EDM schedule from σ_min = 0.002; sampled by <see cref="Sampling.ConsistencySampler"/> by default.</returns>
    /// <exception cref="ArgumentException">The teacher is untrained or a consistency model, or the data do not match it.</exception>
    public static (DiffusionPosteriorEstimator Student, TrainingResult Training) Distill(DiffusionPosteriorEstimator teacher, ISimulationDataset training, ConsistencyDistillationSpec? spec = null,
        TrainingOptions? options = null, string? teacherDescription = null, IProgress<TrainingProgress>? progress = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(training);
        if (!teacher.IsTrained) throw new ArgumentException("`teacher` is untrained; train it (or load a trained model) before distilling it.", nameof(teacher));
        if (!teacher.Options.Objective.LearnsDenoiser)
            throw new ArgumentException($"`teacher` is a '{Registration.Registries.Objectives.NameOf(teacher.Options.Objective)}' model, which has no probability-flow ODE to distill; distill a diffusion or flow-matching model.", nameof(teacher));
        var objective = (spec ?? new ConsistencyDistillationSpec()) with
        {
            Teacher = teacher.Denoiser,
            TeacherDescription = teacherDescription ?? spec?.TeacherDescription ?? $"{Registration.Registries.Objectives.NameOf(teacher.Options.Objective)} model, {teacher.ParameterCount:N0} weights",
        };
        objective.Validate();
        var schedule = new EdmSchedule(EdmScheduleOptions.Default with { SigmaMin = ConsistencyParameterization.DefaultSigmaMin });
        var studentOptions = teacher.Options with
        {
            Objective = objective, Schedule = schedule, Prediction = new ConsistencyParameterization(), ConditionDropout = 0, Coupling = null, ImportanceSampledNoise = false,
        };
        var student = new DiffusionPosteriorEstimator(teacher.ParameterDimension, teacher.ObservationDimension, studentOptions, teacher.ParameterNames, teacher.Transform, teacher.Prior);
        try
        {
            var result = student.TrainWithStandardization(training, options, null, progress, logger, cancellationToken, (teacher.ThetaStandardizer, teacher.XStandardizer));
            return (student, result);
        }
        catch
        {
            student.Dispose();
            throw;
        }
    }
}
