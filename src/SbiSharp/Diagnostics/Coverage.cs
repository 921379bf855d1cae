using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.Diagnostics;

/// <summary>Empirical coverage of central credible intervals: a calibrated posterior covers the truth at the nominal rate.</summary>
/// <remarks>
/// For each test set j, the central interval at level q spans the (1 − q)/2 and (1 + q)/2 quantiles of the posterior draws of
/// each parameter; coverage is the fraction of test sets whose true value lies inside (Talts et al. 2018, arXiv:1804.06788).
/// </remarks>
public static class Coverage
{
    /// <summary>Computes coverage per parameter and level.</summary>
    /// <param name="samples">Posterior draws, shape (N, n, D).</param>
    /// <param name="truths">True parameters, shape (N, D).</param>
    /// <param name="levels">Levels in (0, 1).</param>
    /// <exception cref="ArgumentException">Shapes disagree, a level is outside (0, 1), or values are not finite.</exception>
    public static CoverageResult CentralIntervals(Tensor samples, Tensor truths, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        PosteriorDraws.Validate(samples, truths);
        foreach (var q in levels)
            if (!(q > 0 && q < 1)) throw new ArgumentException($"Each level must lie in (0, 1); got {q}.", nameof(levels));
        using var scope = NewDisposeScope();
        int n = (int)samples.shape[0], draws = (int)samples.shape[1], d = (int)samples.shape[2];
        var sorted = Tensors.ToDoubles(samples.to(ScalarType.Float64).sort(1).Values.permute(0, 2, 1).contiguous());
        var truth = Tensors.ToDoubles(truths);
        var coverage = new double[d][];
        for (int p = 0; p < d; p++)
        {
            coverage[p] = new double[levels.Count];
            for (int k = 0; k < levels.Count; k++)
            {
                int hits = 0;
                for (int j = 0; j < n; j++)
                {
                    var offset = ((long)j * d + p) * draws;
                    var lo = Quantile(sorted, offset, draws, (1 - levels[k]) / 2);
                    var hi = Quantile(sorted, offset, draws, (1 + levels[k]) / 2);
                    var v = truth[j * d + p];
                    if (v >= lo && v <= hi) hits++;
                }
                coverage[p][k] = (double)hits / n;
            }
        }
        return new CoverageResult(levels.ToArray(), coverage, n);
    }

    /// <summary>Linear-interpolation quantile (type 7) of a sorted run.</summary>
    private static double Quantile(double[] sorted, long offset, int count, double q)
    {
        var position = q * (count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(count - 1, below + 1);
        var weight = position - below;
        return sorted[offset + below] * (1 - weight) + sorted[offset + above] * weight;
    }
}
