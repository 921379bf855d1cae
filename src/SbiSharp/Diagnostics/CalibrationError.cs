using static TorchSharp.torch;

namespace SbiSharp.Diagnostics;

/// <summary>Calibration error: the median, over many credibility levels, of |empirical coverage − level| of central intervals.</summary>
/// <remarks>
/// The levels run evenly from 0.005 to 0.995 (BayesFlow's calibration_error with resolution 20; Radev et al. 2020,
/// arXiv:2003.06281). 0 is perfect; under-dispersed posteriors cover too little, over-dispersed ones too much, and both raise it.
/// </remarks>
public static class CalibrationError
{
    /// <summary>Default number of levels.</summary>
    public const int DefaultResolution = 20;

    /// <summary>Computes the calibration error per parameter.</summary>
    /// <param name="samples">Posterior draws, shape (N, n, D).</param>
    /// <param name="truths">True parameters, shape (N, D).</param>
    /// <param name="resolution">Number of levels, at least 2.</param>
    /// <exception cref="ArgumentException">Shapes disagree or values are not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resolution"/> is below 2.</exception>
    public static CalibrationErrorResult Compute(Tensor samples, Tensor truths, int resolution = DefaultResolution)
    {
        if (resolution < 2) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"`resolution` must be at least 2; got {resolution}.");
        var levels = Enumerable.Range(0, resolution).Select(k => 0.005 + (0.99 * k / (resolution - 1))).ToArray();
        var coverage = Coverage.CentralIntervals(samples, truths, levels);
        var errors = coverage.Coverage.Select(c => Median(c.Select((v, k) => Math.Abs(v - levels[k])).ToArray())).ToArray();
        return new CalibrationErrorResult(errors, coverage);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int m = values.Length / 2;
        return values.Length % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
    }
}
