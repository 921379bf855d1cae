using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.Diagnostics;

/// <summary>Parameter recovery over simulated test sets: how close the posterior mean lands to the truth, how much the posterior shrinks, and whether its errors match its width.</summary>
/// <remarks>
/// Per parameter p over N test sets j with posterior mean m_jp, posterior sd s_jp and truth θ*_jp:
/// prior-normalized RMSE √(mean_j (m_jp − θ*_jp)²) / σ_prior,p; posterior contraction 1 − s²_jp / σ²_prior,p
/// (near 1: the data pin the parameter down; near 0: the posterior is the prior); posterior z-score (m_jp − θ*_jp) / s_jp,
/// whose mean is near 0 and sd near 1 for a calibrated posterior (Schad, Betancourt &amp; Vasishth 2021, arXiv:1904.12765);
/// and the correlation of m_jp with θ*_jp.
/// </remarks>
public static class Recovery
{
    /// <summary>Computes the recovery statistics.</summary>
    /// <param name="samples">Posterior draws, shape (N, n, D), n ≥ 2.</param>
    /// <param name="truths">True parameters, shape (N, D), drawn from the prior.</param>
    /// <param name="priorStd">Prior standard deviation per parameter, shape (D); null estimates it from <paramref name="truths"/> (needs N ≥ 2).</param>
    /// <exception cref="ArgumentException">Shapes disagree, values are not finite, or a standard deviation is not positive.</exception>
    public static RecoveryResult Compute(Tensor samples, Tensor truths, Tensor? priorStd = null)
    {
        var draws = PosteriorDraws.From(samples, truths, minimumSets: priorStd is null ? 2 : 1, minimumDraws: 2);
        return Compute(draws, priorStd);
    }

    /// <summary>The statistics from draws already checked and copied (shared with <see cref="CalibrationReport"/>).</summary>
    internal static RecoveryResult Compute(PosteriorDraws draws, Tensor? priorStd)
    {
        int n = draws.Sets, d = draws.Dimension;
        double[] prior;
        if (priorStd is null)
        {
            // Unbiased sd of the truths, which are prior draws.
            prior = new double[d];
            for (int p = 0; p < d; p++)
            {
                var column = Enumerable.Range(0, n).Select(j => draws.Truth(j, p)).ToArray();
                var average = column.Average();
                prior[p] = Math.Sqrt(column.Sum(v => (v - average) * (v - average)) / (n - 1));
            }
        }
        else
        {
            if (priorStd.dim() != 1 || priorStd.shape[0] != d)
                throw new ArgumentException($"`priorStd` must have shape ({d}) to match `samples`; got {Check.Shape(priorStd)}.", nameof(priorStd));
            prior = Tensors.ToDoubles(priorStd.to(ScalarType.Float64));
        }
        Check.Positive(prior, nameof(priorStd));
        var mean = new double[n][];
        var sd = new double[n][];
        for (int j = 0; j < n; j++)
        {
            mean[j] = new double[d];
            sd[j] = new double[d];
            for (int p = 0; p < d; p++)
            {
                var x = draws.Of(j, p);
                double m = 0;
                foreach (var v in x) m += v;
                m /= x.Length;
                double ss = 0;
                foreach (var v in x) ss += (v - m) * (v - m);
                mean[j][p] = m;
                sd[j][p] = Math.Sqrt(ss / (x.Length - 1));
            }
        }
        var nrmse = new double[d];
        var contraction = new double[d];
        var zMean = new double[d];
        var zSd = new double[d];
        var correlation = new double[d];
        for (int p = 0; p < d; p++)
        {
            double se = 0, c = 0;
            var z = new double[n];
            for (int j = 0; j < n; j++)
            {
                var error = mean[j][p] - draws.Truth(j, p);
                se += error * error;
                c += 1 - (sd[j][p] * sd[j][p]) / (prior[p] * prior[p]);
                z[j] = sd[j][p] > 0 ? error / sd[j][p] : double.PositiveInfinity * Math.Sign(error);
            }
            nrmse[p] = Math.Sqrt(se / n) / prior[p];
            contraction[p] = c / n;
            zMean[p] = z.Average();
            zSd[p] = n > 1 ? Math.Sqrt(z.Sum(v => (v - zMean[p]) * (v - zMean[p])) / (n - 1)) : 0;
            correlation[p] = Correlation(Enumerable.Range(0, n).Select(j => mean[j][p]).ToArray(), Enumerable.Range(0, n).Select(j => draws.Truth(j, p)).ToArray());
        }
        var truth = Enumerable.Range(0, n).Select(j => (IReadOnlyList<double>)Enumerable.Range(0, d).Select(p => draws.Truth(j, p)).ToArray()).ToArray();
        return new RecoveryResult(truth, mean, sd, nrmse, contraction, zMean, zSd, correlation);
    }

    private static double Correlation(double[] a, double[] b)
    {
        if (a.Length < 2) return double.NaN;
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : double.NaN;
    }
}
