using ScottPlot;

namespace SbiSharp.Plotting;

/// <summary>Normalized histograms drawn as bars.</summary>
internal static class Densities
{
    public static void AddHistogram(Plot plot, IReadOnlyList<double> values, double low, double high, int bins, Color color, string label)
    {
        var width = (high - low) / bins;
        var counts = new double[bins];
        int inside = 0;
        foreach (var v in values)
        {
            if (!(v >= low && v <= high)) continue;
            var b = Math.Min(bins - 1, (int)((v - low) / width));
            counts[b]++;
            inside++;
        }
        var bars = new List<Bar>();
        for (int b = 0; b < bins; b++)
            bars.Add(new Bar
            {
                Position = low + (b + 0.5) * width,
                Value = values.Count > 0 ? counts[b] / (values.Count * width) : 0,
                Size = width,
                FillColor = color.WithOpacity(0.55),
                LineWidth = 0,
            });
        var plottable = plot.Add.Bars(bars);
        plottable.LegendText = label;
    }

    public static (double Low, double High) Range(IEnumerable<double> a, IEnumerable<double> b)
    {
        var all = a.Concat(b).Where(double.IsFinite).OrderBy(v => v).ToArray();
        if (all.Length == 0) return (-1, 1);
        var lo = all[(int)(0.001 * (all.Length - 1))];
        var hi = all[(int)(0.999 * (all.Length - 1))];
        if (hi <= lo) { lo -= 1; hi += 1; }
        var pad = 0.05 * (hi - lo);
        return (lo - pad, hi + pad);
    }
}
