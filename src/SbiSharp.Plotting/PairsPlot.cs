using ScottPlot;

namespace SbiSharp.Plotting;

/// <summary>Pairs plot of posterior draws: histograms on the diagonal, scatter of each pair below it, a reference sample overlaid in a second colour, and an optional marked true value.</summary>
public static class PairsPlot
{
    /// <summary>Most points drawn per scatter panel (the first ones; keeps files small).</summary>
    public const int MaxPoints = 2000;

    /// <summary>Renders the figure.</summary>
    /// <param name="path">Output file (.png or .svg).</param>
    /// <param name="names">Parameter names, length D.</param>
    /// <param name="posterior">Posterior draws per parameter: posterior[d] holds the draws of parameter d.</param>
    /// <param name="reference">Optional reference draws, same layout.</param>
    /// <param name="truth">Optional true parameter, length D.</param>
    public static void Save(string path, IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<double>> posterior,
        IReadOnlyList<IReadOnlyList<double>>? reference = null, IReadOnlyList<double>? truth = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(posterior);
        int d = names.Count;
        if (posterior.Count != d || (reference is not null && reference.Count != d) || (truth is not null && truth.Count != d))
            throw new ArgumentException($"`posterior`, `reference` and `truth` must each hold {d} entries (one per name); got {posterior.Count}, {reference?.Count}, {truth?.Count}.");
        var figure = Figure.Grid(d * d, d);
        for (int row = 0; row < d; row++)
        {
            for (int column = 0; column < d; column++)
            {
                var plot = figure.GetPlot((row * d) + column);
                if (column > row)
                {
                    plot.HideGrid();
                    plot.Layout.Frameless();
                    continue;
                }
                var (lowX, highX) = Densities.Range(posterior[column], reference?[column] ?? posterior[column]);
                if (row == column)
                {
                    if (reference is not null) Densities.AddHistogram(plot, reference[column], lowX, highX, 40, Colors.Orange, "reference");
                    Densities.AddHistogram(plot, posterior[column], lowX, highX, 40, Colors.SteelBlue, "posterior");
                    if (truth is not null) plot.Add.VerticalLine(truth[column], 1.5f, Colors.Black);
                    if (row == 0 && reference is not null) plot.ShowLegend(Alignment.UpperRight);
                }
                else
                {
                    if (reference is not null) AddPoints(plot, reference[column], reference[row], Colors.Orange);
                    AddPoints(plot, posterior[column], posterior[row], Colors.SteelBlue);
                    if (truth is not null)
                    {
                        var marker = plot.Add.Marker(truth[column], truth[row], MarkerShape.Cross, 12, Colors.Black);
                        marker.MarkerLineWidth = 2;
                    }
                    plot.YLabel(names[row]);
                }
                if (row == d - 1) plot.XLabel(names[column]);
            }
        }
        Figure.Save(figure, path, 260 * d, 240 * d);
    }

    private static void AddPoints(Plot plot, IReadOnlyList<double> x, IReadOnlyList<double> y, Color color)
    {
        int count = Math.Min(MaxPoints, x.Count);
        var points = plot.Add.ScatterPoints(x.Take(count).ToArray(), y.Take(count).ToArray(), color.WithOpacity(0.3));
        points.MarkerSize = 2;
    }
}
