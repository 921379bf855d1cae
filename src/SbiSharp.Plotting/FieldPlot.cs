using ScottPlot;
using static TorchSharp.torch;

namespace SbiSharp.Plotting;

/// <summary>A row-wrapped grid of 2-D fields as heatmaps (truth, observation, posterior mean, standard deviation, draws), each with its own colour bar.</summary>
public static class FieldPlot
{
    /// <summary>Renders the panels; NaN cells (unobserved pixels of an observation) are left blank.</summary>
    /// <param name="path">A .png or .svg file.</param>
    /// <param name="panels">Titles and (H, W) values, row 0 at the top.</param>
    /// <param name="columns">Panels per row, positive.</param>
    /// <exception cref="ArgumentException">No panels, or a panel without cells.</exception>
    public static void Save(string path, IReadOnlyList<(string Title, double[,] Values)> panels, int columns = 4)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("`panels` must hold at least one field; got none.", nameof(panels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        columns = Math.Min(columns, panels.Count);
        var figure = Figure.Grid(panels.Count, columns);
        for (int i = 0; i < panels.Count; i++)
        {
            var (title, values) = panels[i];
            if (values.Length == 0) throw new ArgumentException($"`panels[{i}]` ('{title}') has no cells.", nameof(panels));
            var plot = figure.GetPlot(i);
            var map = plot.Add.Heatmap(values);
            map.Colormap = new ScottPlot.Colormaps.Viridis();
            map.NaNCellColor = Colors.White;
            plot.Add.ColorBar(map);
            plot.Axes.Frameless();
            plot.Title(title); // after Frameless, which hides the title panel
            plot.HideGrid();
        }
        var rows = (panels.Count + columns - 1) / columns;
        Figure.Save(figure, path, 300 * columns, 280 * rows);
    }

    /// <summary>A panel's values: a field of H·W values (any shape, row-major) as an (H, W) grid, row 0 first.</summary>
    /// <exception cref="ArgumentException">A tensor without exactly H·W values.</exception>
    public static double[,] Grid(Tensor field, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.numel() != (long)height * width)
            throw new ArgumentException($"`field` must hold {height}×{width} = {(long)height * width} values; got {field.numel()}.", nameof(field));
        using var flat = field.reshape(-1).to(ScalarType.Float64).contiguous();
        var values = flat.data<double>().ToArray();
        var grid = new double[height, width];
        for (int i = 0; i < height; i++) for (int j = 0; j < width; j++) grid[i, j] = values[i * width + j];
        return grid;
    }
}
