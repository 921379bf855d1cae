using SbiSharp.Diagnostics;
using ScottPlot;

namespace SbiSharp.Plotting;

/// <summary>TARP expected coverage probability against the credibility level, with the diagonal of a calibrated posterior.</summary>
public static class TarpPlot
{
    /// <summary>Renders the figure.</summary>
    public static void Save(string path, TarpResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = Figure.NewPlot();
        var diagonal = plot.Add.ScatterLine(new[] { 0.0, 1.0 }, new[] { 0.0, 1.0 }, Colors.Black);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "calibrated";
        var line = plot.Add.ScatterLine(result.Alpha.ToArray(), result.ExpectedCoverage.ToArray(), Colors.SteelBlue);
        line.LineWidth = 2;
        line.LegendText = FormattableString.Invariant($"ECP (max dev {result.MaxDeviation:F3}, ATC {result.AreaToCurve:F3})");
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.XLabel("credibility level α");
        plot.YLabel("expected coverage probability");
        plot.Title("TARP (Lemos et al. 2023)");
        plot.ShowLegend(Alignment.UpperLeft);
        Figure.Save(plot, path, 560, 520);
    }
}
