using ScottPlot;

namespace SbiSharp.Plotting;

/// <summary>Accuracy against cost: C2ST against seconds per 10,000 draws (log scale), one panel per task, one connected series per model or sampler family.</summary>
public static class FrontierPlot
{
    /// <summary>Renders the panels side by side.</summary>
    /// <param name="path">Output file (.png or .svg).</param>
    /// <param name="panels">Per panel: a title and its series, each a label and (seconds, C2ST) points in the order they are joined.</param>
    /// <exception cref="ArgumentException">No panels, or a point with a non-positive time.</exception>
    public static void Save(string path, IReadOnlyList<(string Title, IReadOnlyList<(string Label, IReadOnlyList<(double Seconds, double C2st)> Points)> Series)> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("`panels` must hold at least one panel; got 0.", nameof(panels));
        var palette = new ScottPlot.Palettes.Category10();
        var figure = Figure.Grid(panels.Count, panels.Count);
        for (int p = 0; p < panels.Count; p++)
        {
            var plot = figure.GetPlot(p);
            for (int s = 0; s < panels[p].Series.Count; s++)
            {
                var (label, points) = panels[p].Series[s];
                if (points.Any(q => !(q.Seconds > 0)))
                    throw new ArgumentException($"`panels[{p}]` series '{label}' has a point with seconds ≤ 0; the time axis is logarithmic.", nameof(panels));
                var line = plot.Add.ScatterLine(points.Select(q => Math.Log10(q.Seconds)).ToArray(), points.Select(q => q.C2st).ToArray(), palette.GetColor(s));
                line.LegendText = label;
                line.MarkerSize = 7;
                line.LineWidth = 1.5f;
            }
            var chance = plot.Add.HorizontalLine(0.5, 1, Colors.Gray, LinePattern.Dashed);
            chance.LegendText = "C2ST 0.5 (exact)";
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => $"{Math.Pow(10, v):G3}" };
            plot.Title(panels[p].Title);
            plot.XLabel("seconds per 10,000 draws (log scale)");
            plot.YLabel("C2ST against the reference");
            plot.ShowLegend(Alignment.UpperRight);
        }
        Figure.Save(figure, path, 620 * panels.Count, 520);
    }
}
