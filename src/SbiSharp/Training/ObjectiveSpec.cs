using System.Text.Json.Serialization;
using SbiSharp.Estimators;

namespace SbiSharp.Training;

/// <summary>What a model family trains on: a serializable description of its <see cref="ITrainingObjective"/>, stored in the model file (JSON "objective": its registered name).</summary>
/// <remarks>
/// The estimator keeps everything else (parameter space, standardization, embedding, network, EMA, early stopping, checkpoints,
/// Save/Load, the command line) and asks the spec only for the loss. A new family derives a record from this, builds its
/// objective in <see cref="Create"/> and registers it once in <see cref="Registration.Registries.Objectives"/>. Default: denoising score matching.
/// </remarks>
[JsonConverter(typeof(ObjectiveSpecJsonConverter))]
public abstract record ObjectiveSpec
{
    /// <summary>Builds the objective for an estimator with <paramref name="options"/> (its schedule, prediction target, loss and weighting); disposed after training when it is <see cref="IDisposable"/>.</summary>
    public abstract ITrainingObjective Create(DiffusionEstimatorOptions options);

    /// <summary>Whether the trained network is a denoiser E[θ | θ_t, x] at every noise level, so that its score exists: then the probability-flow density (<c>LogProb</c>), composition of
    /// observations and guidance apply. A family without one (e.g. a consistency model) returns false, and those calls are refused with a clear error.</summary>
    [JsonIgnore]
    public virtual bool LearnsDenoiser => true;

    /// <summary>The sampler used when <see cref="SamplingOptions.Sampler"/> is null (the default): DPM-Solver++(2M) with 40 steps for a denoiser, the
    /// multistep <see cref="Sampling.ConsistencySampler"/> for a consistency model.</summary>
    public virtual Sampling.DiffusionSampler DefaultSampler() => new Sampling.DpmSolverPlusPlusSampler();

    /// <summary>The module the estimator trains and saves around the options' network: the network itself, or a family's wrapper that adds what its
    /// loss learns alongside (the adaptive loss weighting of <see cref="StableConsistencySpec"/>). Built the same way for a new and a loaded model.</summary>
    /// <param name="network">The options' network (behind the embedding); owned by the result.</param>
    /// <param name="generator">Initialization randomness.</param>
    public virtual Networks.ConditionalNetwork Wrap(Networks.ConditionalNetwork network, TorchSharp.torch.Generator generator) => network;

    /// <summary>A warning for sampling this family's model with <paramref name="sampler"/> (returned with the draws), or null.</summary>
    public virtual string? SamplerWarning(Sampling.DiffusionSampler sampler) => null;

    /// <summary>The training length, in gradient steps, used when <see cref="TrainingOptions.MaxSteps"/> is null and the objective's validation loss cannot decide
    /// it (<see cref="ITrainingObjective.SelectsByValidation"/> false); null: the trainer's own rule (early stopping).</summary>
    public virtual long? DefaultTrainingSteps => null;

    /// <summary>Throws on the first invalid field; returns this.</summary>
    public virtual ObjectiveSpec Validate() => this;
}
