using SbiSharp.Denoising;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Training;

/// <summary>How evenly a schedule × prediction × loss × weighting combination spreads the training signal over noise levels.</summary>
/// <remarks>
/// Every positive weighting has the same minimizer, E[θ | θ_t, x]; they differ in how hard that minimizer is to reach. An error δ of
/// the network output costs W(λ)·δ² with W = w(λ)·c(λ)²·|∂D/∂output|² (c: the loss parameterization's <see cref="Parameterization.LossScale"/>). The Kish effective
/// sample fraction (E W)²/E[W²] over the training distribution of λ says what share of a batch effectively trains the network:
/// 1 for the natural pairings (F with the F loss or the EDM-weighted noise loss, v with the velocity loss, ε with the unweighted
/// noise loss), near 0 when a few rows at extreme noise levels carry the whole gradient. The expectation is taken on a fine
/// quantile grid of the training λ (u = (i + ½)/n, n = 20,000).
/// </remarks>
public static class ObjectiveConditioning
{
    /// <summary>Below this fraction the estimator logs a warning: on the Gaussian-linear test task such combinations need far more training to reproduce the posterior.</summary>
    public const double WarningFraction = 0.1;

    /// <summary>The effective sample fraction (E W)²/E[W²] ∈ (0, 1] of the output-space loss weight under the schedule's training λ.</summary>
    /// <param name="schedule">The noise schedule.</param>
    /// <param name="prediction">What the network predicts.</param>
    /// <param name="loss">The loss space, as the parameterization whose target error is squared.</param>
    /// <param name="weighting">The loss weighting.</param>
    /// <param name="importanceSampled">Measure it under the importance-sampled noise levels of
    /// <see cref="Estimators.DiffusionEstimatorOptions.ImportanceSampledNoise"/> instead of the schedule's own.</param>
    public static double EffectiveSampleFraction(INoiseSchedule schedule, Parameterization prediction, Parameterization loss, LossWeighting weighting, bool importanceSampled = false)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(weighting);
        const int n = 20_000;
        // Computed on tensors: no large managed arrays (GC pressure is what lets TorchSharp's finalizer free a temporary
        // Scalar that another thread's op still reads).
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (importanceSampled)
        {
            using var proposal = new NoiseLevelProposal(schedule, prediction, loss, weighting);
            return EffectiveSampleFraction(schedule, prediction, loss, weighting, proposal);
        }
        return Kish(OutputWeights(schedule, prediction, loss, weighting, ((ScalarMath.Arange(n, dtype: ScalarType.Float64).Add(0.5)).Div(n)).unsqueeze(1)));
    }

    /// <summary>The fraction under <paramref name="proposal"/>: the per-row weights W/q of 200,000 stratified draws from it.</summary>
    internal static double EffectiveSampleFraction(INoiseSchedule schedule, Parameterization prediction, Parameterization loss, LossWeighting weighting, NoiseLevelProposal proposal)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        const int draws = 200_000;
        var (u, q) = proposal.Transform(((ScalarMath.Arange(draws, dtype: ScalarType.Float64).Add(0.5)).Div(draws)).unsqueeze(1));
        return Kish(OutputWeights(schedule, prediction, loss, weighting, u) / q);
    }

    private static double Kish(Tensor w)
    {
        using var scope = NewDisposeScope();
        var scaled = w / w.max();
        return (scaled.mean().Square() / scaled.Square().mean()).item<double>();
    }

    /// <summary>W(u) for training quantiles <paramref name="u"/>, (B, 1), in float64; a fresh tensor.</summary>
    internal static Tensor OutputWeights(INoiseSchedule schedule, Parameterization prediction, Parameterization loss, LossWeighting weighting, Tensor u)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var u64 = u.to(ScalarType.Float64);
        var logSnr = schedule.TrainingLogSnr(u64);
        var (alpha, sigma) = schedule.Scales(logSnr);
        var weight = weighting.Weight(schedule, logSnr, u64) * loss.LossScale(logSnr, alpha, sigma).Square()
            * prediction.OutputScale(logSnr, alpha, sigma).Square();
        return weight.to(ScalarType.Float64).MoveToOuterDisposeScope();
    }
}
