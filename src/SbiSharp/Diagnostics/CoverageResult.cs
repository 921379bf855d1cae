namespace SbiSharp.Diagnostics;

/// <summary>Empirical coverage of central posterior intervals over simulated test sets.</summary>
/// <param name="Levels">Nominal credibility levels in (0, 1).</param>
/// <param name="Coverage">Coverage[d][k]: fraction of test sets whose true θ_d lies in the central interval at Levels[k].</param>
/// <param name="TestSets">Number of test sets N.</param>
public sealed record CoverageResult(IReadOnlyList<double> Levels, IReadOnlyList<IReadOnlyList<double>> Coverage, int TestSets)
{
    /// <summary>Binomial standard error of an empirical coverage at nominal level <paramref name="level"/>.</summary>
    public double StandardError(double level) => Math.Sqrt(level * (1 - level) / Math.Max(1, TestSets));
}
