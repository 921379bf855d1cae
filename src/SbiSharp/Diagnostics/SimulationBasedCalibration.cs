using MathNet.Numerics.Distributions;
using static TorchSharp.torch;

namespace SbiSharp.Diagnostics;

/// <summary>Simulation-based calibration (SBC): under a calibrated posterior the rank of the true parameter among n posterior draws is uniform on 0..n.</summary>
/// <remarks>
/// Talts et al. 2018 (arXiv:1804.06788) for the ranks; Säilynoja, Bürkner &amp; Vehtari 2022 (arXiv:2103.10522) for the ECDF
/// of the fractional ranks with simultaneous bands; Modrák et al. 2023 (arXiv:2211.02383) for the log-gamma test.
/// The ECDF is evaluated at z_i = i/(n + 1), where, under uniformity, N·ECDF(z_i) is exactly Binomial(N, z_i).
/// γ = 2·min_i min(F_Bin(N·ECDF_i), 1 − F_Bin(N·ECDF_i − 1)); its null distribution comes from rank sets drawn uniformly,
/// and its (1 − confidence) quantile γ* sets both the test (log γ − log γ* &lt; 0 rejects) and the bands
/// [F⁻¹_Bin(γ*/2), F⁻¹_Bin(1 − γ*/2)]/N, which hold at every point simultaneously with the stated confidence.
/// </remarks>
public static class SimulationBasedCalibration
{
    /// <summary>Computes ranks, ECDF differences, simultaneous bands and the log-gamma test.</summary>
    /// <param name="samples">Posterior draws, shape (N, n, D), N ≥ 2.</param>
    /// <param name="truths">True parameters, shape (N, D), drawn from the prior the model was trained with.</param>
    /// <param name="options">Test settings; null uses the defaults.</param>
    /// <exception cref="ArgumentException">Shapes disagree or values are not finite.</exception>
    public static SbcResult Compute(Tensor samples, Tensor truths, SbcOptions? options = null)
    {
        var o = (options ?? SbcOptions.Default).Validate();
        return Compute(PosteriorDraws.From(samples, truths, minimumSets: 2), o);
    }

    /// <summary>The calibration from draws already checked and copied (shared with <see cref="CalibrationReport"/>).</summary>
    internal static SbcResult Compute(PosteriorDraws draws, SbcOptions o)
    {
        int sets = draws.Sets, n = draws.Draws, d = draws.Dimension;
        var ranks = new int[sets][];
        for (int j = 0; j < sets; j++)
        {
            ranks[j] = new int[d];
            for (int p = 0; p < d; p++)
            {
                var truth = draws.Truth(j, p);
                int below = 0;
                foreach (var v in draws.Of(j, p)) if (v < truth) below++;
                ranks[j][p] = below;
            }
        }
        // Cut-offs c: the ECDF at z = c/(n+1) counts ranks below c; at most MaxPoints of the n cut-offs, spread evenly.
        int points = Math.Min(n, o.MaxPoints);
        var cutoffs = Enumerable.Range(1, points).Select(i => (int)Math.Round((double)i * n / points)).Distinct().ToArray();
        var z = cutoffs.Select(c => (double)c / (n + 1)).ToArray();
        var binomials = z.Select(p => new Binomial(p, sets)).ToArray();

        var random = new Random((int)(o.Seed & int.MaxValue));
        var nullLogGamma = new double[o.NullSimulations];
        var simulated = new int[sets];
        for (int s = 0; s < o.NullSimulations; s++)
        {
            for (int j = 0; j < sets; j++) simulated[j] = random.Next(n + 1);
            nullLogGamma[s] = Math.Log(Gamma(simulated, cutoffs, binomials));
        }
        Array.Sort(nullLogGamma);
        var threshold = MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(nullLogGamma, 1 - o.Confidence);
        var gammaStar = Math.Exp(threshold);
        var lower = new double[cutoffs.Length];
        var upper = new double[cutoffs.Length];
        for (int i = 0; i < cutoffs.Length; i++)
        {
            lower[i] = (double)Quantile(binomials[i], gammaStar / 2) / sets - z[i];
            upper[i] = (double)Quantile(binomials[i], 1 - gammaStar / 2) / sets - z[i];
        }
        var difference = new double[d][];
        var maxAbs = new double[d];
        var gamma = new double[d];
        var statistic = new double[d];
        for (int p = 0; p < d; p++)
        {
            var column = ranks.Select(r => r[p]).ToArray();
            var ecdf = Ecdf(column, cutoffs);
            difference[p] = ecdf.Select((e, i) => ((double)e / sets) - z[i]).ToArray();
            maxAbs[p] = difference[p].Max(Math.Abs);
            gamma[p] = Gamma(column, cutoffs, binomials);
            statistic[p] = Math.Log(gamma[p]) - threshold;
        }
        return new SbcResult(ranks, n, z, difference, lower, upper, maxAbs, gamma, statistic, o.Confidence);
    }

    /// <summary>Counts of ranks below each cut-off.</summary>
    private static int[] Ecdf(int[] ranks, int[] cutoffs)
    {
        var sorted = (int[])ranks.Clone();
        Array.Sort(sorted);
        var counts = new int[cutoffs.Length];
        int k = 0;
        for (int i = 0; i < cutoffs.Length; i++)
        {
            while (k < sorted.Length && sorted[k] < cutoffs[i]) k++;
            counts[i] = k;
        }
        return counts;
    }

    private static double Gamma(int[] ranks, int[] cutoffs, Binomial[] binomials)
    {
        var counts = Ecdf(ranks, cutoffs);
        double smallest = 1;
        for (int i = 0; i < cutoffs.Length; i++)
        {
            var below = Cdf(binomials[i], counts[i]);
            var above = 1 - Cdf(binomials[i], counts[i] - 1);
            smallest = Math.Min(smallest, Math.Min(below, above));
        }
        return Math.Max(2 * smallest, double.Epsilon);
    }

    /// <summary>P(K ≤ k) with the ends exact (MathNet returns NaN at k = N, where the regularized beta has a zero argument).</summary>
    private static double Cdf(Binomial binomial, int k) => k < 0 ? 0 : k >= binomial.N ? 1 : binomial.CumulativeDistribution(k);

    /// <summary>Smallest k with F(k) ≥ q.</summary>
    private static int Quantile(Binomial binomial, double q)
    {
        int lo = 0, hi = binomial.N;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (Cdf(binomial, mid) >= q) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
