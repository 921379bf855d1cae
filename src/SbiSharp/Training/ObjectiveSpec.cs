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

    /// <summary>Throws on the first invalid field; returns this.</summary>
    public virtual ObjectiveSpec Validate() => this;
}
