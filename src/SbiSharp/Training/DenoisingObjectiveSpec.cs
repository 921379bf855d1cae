using SbiSharp.Estimators;

namespace SbiSharp.Training;

/// <summary>Denoising score matching (and flow matching on the rectified path): the diffusion family, the default <see cref="ObjectiveSpec"/>.</summary>
/// <remarks>Its settings are the estimator options' schedule, prediction, loss, weighting, coupling, condition dropout and importance-sampled noise levels.</remarks>
public sealed record DenoisingObjectiveSpec : ObjectiveSpec
{
    /// <summary>The one instance.</summary>
    public static DenoisingObjectiveSpec Default { get; } = new();

    /// <inheritdoc />
    public override ITrainingObjective Create(DiffusionEstimatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var proposal = options.ImportanceSampledNoise ? new NoiseLevelProposal(options.Schedule, options.Prediction, options.Loss, options.Weighting) : null;
        return new DenoisingObjective(options.Schedule, options.Prediction, options.Loss, options.Weighting, options.Coupling, options.ConditionDropout, proposal, ownsProposal: true);
    }
}
