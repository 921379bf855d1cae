using SbiSharp.Internal;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Diagnostics;

/// <summary>Tests of Accuracy with Random Points (TARP): a joint coverage test that is necessary and sufficient for calibration when the reference points are random.</summary>
/// <remarks>
/// Lemos et al. 2023 (arXiv:2302.03026). All values are scaled to [0, 1] per parameter by the truths' range; for each test set j
/// a reference point r_j is drawn uniformly in the unit box, and f_j is the fraction of posterior draws closer to r_j than
/// the truth is. The expected coverage probability ECP(α) = fraction of test sets with f_j &lt; α equals α for a calibrated
/// posterior. Reported: the ECP curve, its largest deviation from the diagonal, and the area between them above α = ½ (ATC; sbi's
/// convention, positive: under-confident, negative: over-confident).
/// </remarks>
public static class Tarp
{
    /// <summary>Default number of α bins.</summary>
    public const int DefaultBins = 50;

    /// <summary>Computes the ECP curve.</summary>
    /// <param name="samples">Posterior draws, shape (N, n, D), N ≥ 2.</param>
    /// <param name="truths">True parameters, shape (N, D).</param>
    /// <param name="seed">Seed of the reference points.</param>
    /// <param name="bins">α grid size (α = 0, 1/bins, …, 1).</param>
    /// <exception cref="ArgumentException">Shapes disagree or values are not finite.</exception>
    public static TarpResult Compute(Tensor samples, Tensor truths, long seed = 1, int bins = DefaultBins)
    {
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), bins, $"`bins` must be at least 2; got {bins}.");
        PosteriorDraws.Validate(samples, truths, minimumSets: 2);
        using var scope = NewDisposeScope();
        var theta = truths.to(ScalarType.Float64);
        var draws = samples.to(ScalarType.Float64);
        var low = theta.amin(new long[] { 0 }, keepdim: true);
        var range = (theta.amax(new long[] { 0 }, keepdim: true) - low).ClampMin(1e-12);
        var scaledTruth = (theta - low) / range;
        var scaledDraws = (draws - low.unsqueeze(0)) / range.unsqueeze(0);
        using var generator = new Generator((ulong)seed);
        var references = rand(theta.shape, dtype: ScalarType.Float64, generator: generator);
        var drawDistance = (scaledDraws - references.unsqueeze(1)).Square().sum(new long[] { 2 });
        var truthDistance = (scaledTruth - references).Square().sum(new long[] { 1 }, keepdim: true);
        var f = Tensors.ToDoubles((drawDistance < truthDistance).to(ScalarType.Float64).mean(new long[] { 1 }));
        var alpha = Enumerable.Range(0, bins + 1).Select(k => (double)k / bins).ToArray();
        var ecp = alpha.Select(a => f.Count(v => v < a) / (double)f.Length).ToArray();
        if (ecp.Length > 0) ecp[^1] = 1;
        var deviation = alpha.Select((a, k) => ecp[k] - a).ToArray();
        var atc = deviation.Where((_, k) => alpha[k] > 0.5).Sum() / bins;
        return new TarpResult(alpha, ecp, deviation.Max(Math.Abs), atc);
    }
}
