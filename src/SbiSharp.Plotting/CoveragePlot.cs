using SbiSharp.Diagnostics;
using ScottPlot;

namespace SbiSharp.Plotting;

/// <summary>Empirical versus nominal coverage of central intervals, one line per parameter, with the diagonal and a ±2 SE band.</summary>
public static class CoveragePlot
{
    /// <summary>Renders the figure.</summary>
    public static void Save(string path, CoverageResult result, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != result.Coverage.Count)
            throw new ArgumentException($"`names` must hold {result.Coverage.Count} entries to match the result; got {names.Count}.", nameof(names));
        var plot = Figure.NewPlot();
        var grid = Enumerable.Range(0, 101).Select(i => i / 100.0).ToArray();
        var band = plot.Add.FillY(grid, grid.Select(q => Math.Max(0, q - 2 * result.StandardError(q))).ToArray(), grid.Select(q => Math.Min(1, q + 2 * result.StandardError(q))).ToArray());
        band.FillColor = Colors.Gray.WithOpacity(0.25);
        band.LegendText = $"±2 SE (N = {result.TestSets})";
        var diagonal = plot.Add.ScatterLine(new[] { 0.0, 1.0 }, new[] { 0.0, 1.0 }, Colors.Black);
        diagonal.LinePattern = LinePattern.Dashed;
        var palette = new ScottPlot.Palettes.Category10();
        for (int d = 0; d < names.Count; d++)
        {
            var line = plot.Add.ScatterLine(result.Levels.ToArray(), result.Coverage[d].ToArray(), palette.GetColor(d));
            line.MarkerSize = 6;
            line.LegendText = names[d];
        }
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.XLabel("nominal level of central interval");
        plot.YLabel("empirical coverage");
        plot.Title("Calibration: coverage on held-out simulations");
        plot.ShowLegend(Alignment.UpperLeft);
        Figure.Save(plot, path, 640, 560);
    }
}
