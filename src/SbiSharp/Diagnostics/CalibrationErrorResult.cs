namespace SbiSharp.Diagnostics;

/// <summary>Calibration error per parameter, with the coverage curve it summarizes (see <see cref="CalibrationError"/>).</summary>
/// <param name="Error">Median |coverage − level| over the levels, per parameter, in [0, 1].</param>
/// <param name="Coverage">Empirical coverage at each level.</param>
public sealed record CalibrationErrorResult(IReadOnlyList<double> Error, CoverageResult Coverage);
