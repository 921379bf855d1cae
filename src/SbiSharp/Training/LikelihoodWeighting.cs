using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Training;

/// <summary>Likelihood weighting: w = |dλ/du|, the reciprocal training density of λ, so the noise-space loss is the ELBO up to a constant.</summary>
/// <remarks>
/// The continuous-time ELBO weights the noise error uniformly in λ (Kingma et al. 2021, arXiv:2107.00630); drawing λ = λ(u)
/// with u uniform, importance weighting gives |dλ/du| = g²/σ² along the training path (Song et al. 2021, arXiv:2105.05680;
/// BayesFlow's "likelihood_weighting"). The slope is taken by a central difference of the schedule's training map in float64.
/// </remarks>
public sealed class LikelihoodWeighting : LossWeighting
{
    private const double Step = 1e-5;

    /// <inheritdoc />
    public override string Name => "likelihood";

    /// <inheritdoc />
    public override Tensor Weight(INoiseSchedule schedule, Tensor logSnr, Tensor uniform)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        using var scope = NewDisposeScope();
        var u = uniform.to(ScalarType.Float64).Clamp(Step, 1 - Step);
        var slope = (schedule.TrainingLogSnr(u.Sub(Step)) - schedule.TrainingLogSnr(u.Add(Step))).abs().Div((2 * Step));
        return slope.to(logSnr.dtype).MoveToOuterDisposeScope();
    }
}
