using SbiSharp.Denoising;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Training;

namespace SbiSharp.Estimators;

/// <summary>What defines a diffusion posterior estimator: network, noise schedule, prediction target and training objective (all stored in the model file).</summary>
/// <remarks>The defaults are the review's EDM-VP/F design: EDM schedule in variance-preserving form, F-prediction, noise-space loss with EDM weighting. <see cref="DiffusionDesigns"/> names the other tested combinations.</remarks>
public sealed record DiffusionEstimatorOptions
{
    /// <summary>Default options.</summary>
    public static DiffusionEstimatorOptions Default { get; } = new();

    /// <summary>The conditional network (default: the residual MLP); any <see cref="NetworkSpec"/> registered in <see cref="Registration.Registries.Networks"/>.</summary>
    public NetworkSpec Network { get; init; } = NetworkOptions.Default;

    /// <summary>The summary network of x, trained end to end with <see cref="Network"/> (default: the identity, no summary network); any <see cref="EmbeddingSpec"/> registered in <see cref="Registration.Registries.Embeddings"/>.</summary>
    public EmbeddingSpec Embedding { get; init; } = IdentityEmbeddingSpec.Default;

    /// <summary>The model family's training objective (default: denoising score matching); any <see cref="ObjectiveSpec"/> registered in <see cref="Registration.Registries.Objectives"/>.</summary>
    public ObjectiveSpec Objective { get; init; } = DenoisingObjectiveSpec.Default;

    /// <summary>Noise schedule (one of the library's schedules, so that it can be saved).</summary>
    public INoiseSchedule Schedule { get; init; } = new EdmSchedule();

    /// <summary>What the network predicts.</summary>
    public Parameterization Prediction { get; init; } = new EdmParameterization();

    /// <summary>Space of the squared error, named by the parameterization whose target error is squared (its <see cref="Parameterization.LossScale"/>); default ε (the noise), which with
    /// <see cref="EdmWeighting"/> weighs an error of the F output evenly over noise levels. Files written before this was a parameterization hold the old loss-space number or name, which still reads.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(LossJsonConverter))]
    public Parameterization Loss { get; init; } = new NoiseParameterization();

    /// <summary>Weighting of the loss over noise levels.</summary>
    public LossWeighting Weighting { get; init; } = new EdmWeighting();

    /// <summary>Mini-batch optimal-transport pairing of data and noise during training (flow matching); null: independent pairs.</summary>
    public OptimalTransportOptions? Coupling { get; init; }

    /// <summary>Probability of replacing the condition x by a learned "no observation" input during training, in [0, 1); 0 (default) trains a purely conditional model.</summary>
    /// <remarks>With a positive value (0.1 is typical) the same network also learns the unconditional (prior) denoiser, which compositional inference and classifier-free guidance use (Ho and Salimans 2022, arXiv:2207.12598). The network then gets one extra input, the "observation present" flag.</remarks>
    public double ConditionDropout { get; init; } = 0;

    /// <summary>
    /// Draw the training noise levels in proportion to the weight the objective gives an error of the network output (mixed with
    /// 10 % uniform) and divide each row's weight by that density: the same objective in expectation, with bounded per-row weights
    /// instead of a few extreme rows carrying the gradient (see <see cref="Training.ObjectiveConditioning"/>). Off by default; the
    /// default objective is already evenly weighted.
    /// </summary>
    public bool ImportanceSampledNoise { get; init; }

    /// <summary>Torch device, e.g. "cpu" or "cuda:0".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Seed for the network's initial weights.</summary>
    public long InitializationSeed { get; init; } = 0;

    /// <summary>Throws on the first invalid field.</summary>
    public DiffusionEstimatorOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
        ArgumentNullException.ThrowIfNull(Prediction, nameof(Prediction));
        ArgumentNullException.ThrowIfNull(Loss, nameof(Loss));
        ArgumentNullException.ThrowIfNull(Weighting, nameof(Weighting));
        ArgumentNullException.ThrowIfNull(Embedding, nameof(Embedding));
        ArgumentNullException.ThrowIfNull(Objective, nameof(Objective));
        Objective.Validate();
        Network.Validate();
        Embedding.Validate();
        Coupling?.Validate();
        if (!(ConditionDropout >= 0 && ConditionDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(ConditionDropout), ConditionDropout, $"`ConditionDropout` must lie in [0, 1); got {ConditionDropout}.");
        if (string.IsNullOrWhiteSpace(Device)) throw new ArgumentException("`Device` must name a torch device such as \"cpu\"; got an empty string.", nameof(Device));
        return this;
    }
}
