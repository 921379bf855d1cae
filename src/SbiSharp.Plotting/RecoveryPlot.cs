using SbiSharp.Diagnostics;
using ScottPlot;

namespace SbiSharp.Plotting;

/// <summary>Posterior mean (± one posterior sd) against the true value, one panel per parameter, with the diagonal and the recovery statistics in the title.</summary>
public static class RecoveryPlot
{
    /// <summary>Renders the figure.</summary>
    /// <param name="path">Output file (.png or .svg).</param>
    /// <param name="result">Recovery result over N test sets.</param>
    /// <param name="names">Parameter names, length D.</param>
    public static void Save(string path, RecoveryResult result, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != result.NormalizedRmse.Count)
            throw new ArgumentException($"`names` must hold {result.NormalizedRmse.Count} entries to match the result; got {names.Count}.", nameof(names));
        int columns = Math.Min(names.Count, 4);
        var figure = Figure.Grid(names.Count, columns);
        for (int p = 0; p < names.Count; p++)
        {
            var plot = figure.GetPlot(p);
            var truth = result.Truths.Select(t => t[p]).ToArray();
            var mean = result.PosteriorMeans.Select(m => m[p]).ToArray();
            var sd = result.PosteriorStds.Select(s => s[p]).ToArray();
            var low = Math.Min(truth.Min(), mean.Zip(sd, (m, s) => m - s).Min());
            var high = Math.Max(truth.Max(), mean.Zip(sd, (m, s) => m + s).Max());
            var bars = plot.Add.ErrorBar(truth, mean, sd);
            bars.Color = Colors.SteelBlue.WithOpacity(0.35);
            var points = plot.Add.ScatterPoints(truth, mean, Colors.SteelBlue);
            points.MarkerSize = 4;
            var diagonal = plot.Add.ScatterLine(new[] { low, high }, new[] { low, high }, Colors.Black);
            diagonal.LinePattern = LinePattern.Dashed;
            plot.Title(FormattableString.Invariant($"{names[p]}\nNRMSE {result.NormalizedRmse[p]:F2} · r {result.Correlation[p]:F2} · contraction {result.Contraction[p]:F2}"));
            plot.Axes.Title.Label.FontSize = 13;
            plot.XLabel("true value");
            plot.YLabel("posterior mean ± sd");
        }
        var rows = (names.Count + columns - 1) / columns;
        Figure.Save(figure, path, 400 * columns, 360 * rows);
    }
}
