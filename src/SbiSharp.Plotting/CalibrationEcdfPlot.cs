using SbiSharp.Diagnostics;
using ScottPlot;

namespace SbiSharp.Plotting;

/// <summary>SBC rank ECDF minus the uniform CDF, one line per parameter, inside the simultaneous confidence band (Säilynoja et al. 2022).</summary>
public static class CalibrationEcdfPlot
{
    /// <summary>Renders the figure.</summary>
    /// <param name="path">Output file (.png or .svg).</param>
    /// <param name="result">Simulation-based calibration result.</param>
    /// <param name="names">Parameter names, length D.</param>
    public static void Save(string path, SbcResult result, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != result.EcdfDifference.Count)
            throw new ArgumentException($"`names` must hold {result.EcdfDifference.Count} entries to match the result; got {names.Count}.", nameof(names));
        var plot = Figure.NewPlot();
        var z = result.Points.ToArray();
        var band = plot.Add.FillY(z, result.LowerBand.ToArray(), result.UpperBand.ToArray());
        band.FillColor = Colors.Gray.WithOpacity(0.25);
        band.LegendText = FormattableString.Invariant($"{result.Confidence:P0} simultaneous band (N = {result.Ranks.Count})");
        var zero = plot.Add.HorizontalLine(0, 1, Colors.Black);
        zero.LinePattern = LinePattern.Dashed;
        var palette = new ScottPlot.Palettes.Category10();
        for (int p = 0; p < names.Count; p++)
        {
            var line = plot.Add.ScatterLine(z, result.EcdfDifference[p].ToArray(), palette.GetColor(p));
            line.LineWidth = 1.5f;
            line.LegendText = FormattableString.Invariant($"{names[p]} (log γ stat {result.LogGammaStatistic[p]:F2})");
        }
        plot.Axes.SetLimitsX(0, 1);
        plot.XLabel("fractional rank");
        plot.YLabel("ECDF − uniform CDF");
        plot.Title("Simulation-based calibration");
        plot.ShowLegend(Edge.Right);
        Figure.Save(plot, path, 900, 480);
    }
}
