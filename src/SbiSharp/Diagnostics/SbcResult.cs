namespace SbiSharp.Diagnostics;

/// <summary>Simulation-based calibration over N test sets (see <see cref="SimulationBasedCalibration"/>).</summary>
/// <param name="Ranks">Rank of each truth among its n draws, [N][D], each in 0..n.</param>
/// <param name="Draws">Draws per test set n.</param>
/// <param name="Points">ECDF evaluation points z (fractional ranks in (0, 1)).</param>
/// <param name="EcdfDifference">ECDF of the fractional ranks minus z, [D][points].</param>
/// <param name="LowerBand">Lower simultaneous band of the ECDF difference at <see cref="Confidence"/>, per point.</param>
/// <param name="UpperBand">Upper simultaneous band of the ECDF difference, per point.</param>
/// <param name="MaxAbsDifference">Largest |ECDF − z| per parameter.</param>
/// <param name="Gamma">Säilynoja et al.'s γ statistic per parameter (small: ranks far from uniform).</param>
/// <param name="LogGammaStatistic">log γ minus the (1 − Confidence) quantile of log γ under uniformity, per parameter: negative rejects calibration.</param>
/// <param name="Confidence">Confidence of the bands; the test's level is 1 − Confidence.</param>
public sealed record SbcResult(
    IReadOnlyList<IReadOnlyList<int>> Ranks,
    int Draws,
    IReadOnlyList<double> Points,
    IReadOnlyList<IReadOnlyList<double>> EcdfDifference,
    IReadOnlyList<double> LowerBand,
    IReadOnlyList<double> UpperBand,
    IReadOnlyList<double> MaxAbsDifference,
    IReadOnlyList<double> Gamma,
    IReadOnlyList<double> LogGammaStatistic,
    double Confidence)
{
    /// <summary>True where parameter p's ECDF difference stays inside the simultaneous bands at every point.</summary>
    public bool WithinBands(int p) => EcdfDifference[p].Select((v, i) => v >= LowerBand[i] - 1e-12 && v <= UpperBand[i] + 1e-12).All(b => b);
}
