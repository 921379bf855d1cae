using ScottPlot;

namespace SbiSharp.Plotting;

/// <summary>Planar robot-arm configurations: each draw as a poly-line through its joints, with the observed end point.</summary>
public static class ArmPlot
{
    /// <summary>Renders one or more panels side by side.</summary>
    /// <param name="path">Output file (.png or .svg).</param>
    /// <param name="panels">Per panel: a title and the arms, each a list of joint (x, y) positions from base to tip.</param>
    /// <param name="observed">The observed end point.</param>
    public static void Save(string path, IReadOnlyList<(string Title, IReadOnlyList<IReadOnlyList<(double X, double Y)>> Arms)> panels, (double X, double Y) observed)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("`panels` must hold at least one panel; got 0.", nameof(panels));
        var figure = Figure.Grid(panels.Count, panels.Count);
        for (int p = 0; p < panels.Count; p++)
        {
            var plot = figure.GetPlot(p);
            foreach (var arm in panels[p].Arms)
            {
                var xs = arm.Select(j => j.X).ToArray();
                var ys = arm.Select(j => j.Y).ToArray();
                var line = plot.Add.ScatterLine(xs, ys, Colors.SteelBlue.WithOpacity(0.25));
                line.LineWidth = 1.5f;
                line.MarkerSize = 3;
                var start = plot.Add.Scatter(xs[0], ys[0], Colors.Black);
                start.MarkerSize = 4;
            }
            var target = plot.Add.Scatter(observed.X, observed.Y, Colors.Red);
            target.MarkerSize = 12;
            target.MarkerShape = MarkerShape.Cross;
            target.LegendText = "observed end point";
            var rail = plot.Add.VerticalLine(0, 1, Colors.Gray, LinePattern.Dashed);
            rail.LegendText = "rail (x = h)";
            plot.Title(panels[p].Title);
            plot.XLabel("x₁");
            plot.YLabel("x₂");
            plot.Axes.SetLimits(-1.5, 1.5, -0.5, 2.2);
            plot.Axes.SquareUnits();
            if (p == 0) plot.ShowLegend(Alignment.LowerRight);
        }
        Figure.Save(figure, path, 520 * panels.Count, 520);
    }
}
