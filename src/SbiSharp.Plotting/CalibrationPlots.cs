using SbiSharp.Diagnostics;

namespace SbiSharp.Plotting;

/// <summary>Writes the figures of a <see cref="CalibrationReport"/>: recovery, SBC ECDF with bands, coverage and TARP.</summary>
public static class CalibrationPlots
{
    /// <summary>File names written, in order.</summary>
    public static IReadOnlyList<string> FileNames(string extension = ".png") =>
        new[] { "recovery", "calibration_ecdf", "coverage_levels", "tarp" }.Select(n => n + extension).ToArray();

    /// <summary>Renders every figure into <paramref name="folder"/>.</summary>
    /// <param name="folder">Output folder (created if missing).</param>
    /// <param name="report">Diagnostics to draw.</param>
    /// <param name="names">Parameter names, length D.</param>
    /// <param name="extension">".png" or ".svg".</param>
    public static void Save(string folder, CalibrationReport report, IReadOnlyList<string> names, string extension = ".png")
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(folder);
        var files = FileNames(extension);
        RecoveryPlot.Save(Path.Combine(folder, files[0]), report.Recovery, names);
        CalibrationEcdfPlot.Save(Path.Combine(folder, files[1]), report.Sbc, names);
        CoveragePlot.Save(Path.Combine(folder, files[2]), report.CalibrationError.Coverage, names);
        TarpPlot.Save(Path.Combine(folder, files[3]), report.Tarp);
    }
}
