using ScottPlot;

namespace SbiSharp.Plotting;

/// <summary>Training and validation loss per epoch.</summary>
public static class LossPlot
{
    /// <summary>Renders the figure.</summary>
    public static void Save(string path, IReadOnlyList<double> training, IReadOnlyList<double> validation)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        var plot = Figure.NewPlot();
        var epochs = Enumerable.Range(1, training.Count).Select(i => (double)i).ToArray();
        var t = plot.Add.ScatterLine(epochs, training.ToArray(), Colors.SteelBlue);
        t.LegendText = "training";
        if (validation.Count > 0)
        {
            var v = plot.Add.ScatterLine(Enumerable.Range(1, validation.Count).Select(i => (double)i).ToArray(), validation.ToArray(), Colors.OrangeRed);
            v.LegendText = "validation (EMA weights)";
        }
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.Title("Training loss");
        plot.ShowLegend(Alignment.UpperRight);
        Figure.Save(plot, path, 640, 420);
    }
}
