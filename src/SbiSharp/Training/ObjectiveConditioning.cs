using SbiSharp.Denoising;
using SbiSharp.Noise;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>How evenly a schedule × prediction × loss × weighting combination spreads the training signal over noise levels.</summary>
/// <remarks>
/// Every positive weighting has the same minimizer, E[θ | θ_t, x]; they differ in how hard that minimizer is to reach. An error δ of
/// the network output costs W(λ)·δ² with W = w(λ)·c(λ)²·|∂D/∂output|² (c: the <see cref="LossSpace"/> factor). The Kish effective
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
    public static double EffectiveSampleFraction(INoiseSchedule schedule, Parameterization prediction, LossSpace space, LossWeighting weighting)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(weighting);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        const int n = 20_000;
        var u = ((arange(n, dtype: ScalarType.Float64) + 0.5) / n).unsqueeze(1);
        var logSnr = schedule.TrainingLogSnr(u);
        var (alpha, sigma) = schedule.Scales(logSnr);
        var weight = weighting.Weight(schedule, logSnr, u) * DiffusionLoss.SpaceFactor(space, logSnr, alpha, sigma).square()
            * prediction.OutputScale(logSnr, alpha, sigma).square();
        weight = weight / weight.max();
        return (weight.mean().square() / weight.square().mean()).item<double>();
    }
}
