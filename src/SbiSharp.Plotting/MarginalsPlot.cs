using ScottPlot;

namespace SbiSharp.Plotting;

/// <summary>Posterior marginal histograms over the prior's, one panel per parameter (as in the BayesFlow tutorial).</summary>
public static class MarginalsPlot
{
    /// <summary>Renders the figure.</summary>
    /// <param name="path">Output file (.png or .svg).</param>
    /// <param name="names">Parameter names, length D.</param>
    /// <param name="posterior">Posterior draws per parameter: posterior[d] holds the draws of parameter d.</param>
    /// <param name="prior">Prior draws per parameter, same layout.</param>
    /// <param name="reference">Optional reference posterior draws, same layout.</param>
    public static void Save(string path, IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<double>> posterior, IReadOnlyList<IReadOnlyList<double>> prior,
        IReadOnlyList<IReadOnlyList<double>>? reference = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(posterior);
        ArgumentNullException.ThrowIfNull(prior);
        if (posterior.Count != names.Count || prior.Count != names.Count || (reference is not null && reference.Count != names.Count))
            throw new ArgumentException($"`posterior`, `prior` and `reference` must each hold {names.Count} columns (one per name); got {posterior.Count}, {prior.Count}, {reference?.Count}.");
        int columns = Math.Min(names.Count, 4);
        var figure = Figure.Grid(names.Count, columns);
        for (int d = 0; d < names.Count; d++)
        {
            var plot = figure.GetPlot(d);
            var (low, high) = Densities.Range(posterior[d], prior[d]);
            Densities.AddHistogram(plot, prior[d], low, high, 40, Colors.Gray, "prior");
            if (reference is not null) Densities.AddHistogram(plot, reference[d], low, high, 40, Colors.Orange, "reference");
            Densities.AddHistogram(plot, posterior[d], low, high, 40, Colors.SteelBlue, "posterior");
            plot.Title(names[d]);
            plot.YLabel("density");
            if (d == 0) plot.ShowLegend(Alignment.UpperRight);
        }
        var rows = (names.Count + columns - 1) / columns;
        Figure.Save(figure, path, 320 * columns, 300 * rows);
    }
}
