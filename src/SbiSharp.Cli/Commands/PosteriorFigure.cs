using SbiSharp.Plotting;
using SbiSharp.States;
using SbiSharp.Torch;
using static TorchSharp.torch;

namespace SbiSharp.Cli.Commands;

/// <summary>The figure of `sbisharp posterior`: truth (if given), the observation seen on the grid, posterior mean and standard deviation, four draws.</summary>
internal static class PosteriorFigure
{
    /// <summary>Writes the figure for single-channel 2-D states; returns false (writing nothing) for other shapes.</summary>
    public static bool Save(string path, IReadOnlyList<int> shape, ILinearOperator a, double[] y, Tensor draws, Tensor mean, Tensor std, double[]? truth)
    {
        if (shape.Count != 3 || shape[0] != 1) return false;
        int h = shape[1], w = shape[2];
        using var scope = NewDisposeScope();
        double[,] Grid(Tensor t) => FieldPlot.Grid(t, h, w);
        // The observation on the grid: Aᵀy / Aᵀ1 where A sees a pixel (the observed values for a mask, the block means for pooling), blank elsewhere.
        var yt = tensor(y, new long[] { 1, y.Length }, dtype: ScalarType.Float64);
        var back = a.Transpose(yt);
        var weight = a.Transpose(ones(1, y.Length, dtype: ScalarType.Float64));
        var seen = weight.abs().gt(weight.abs().max().Mul(1e-9));
        var shown = where(seen, back / where(seen, weight, ones_like(weight)), SbiSharp.Torch.ScalarMath.FullLike(back, double.NaN));
        var panels = new List<(string, double[,])>();
        if (truth is not null) panels.Add(("truth", Grid(tensor(truth, dtype: ScalarType.Float64))));
        panels.Add(($"observation ({a.Name})", Grid(shown)));
        panels.Add(("posterior mean", Grid(mean)));
        panels.Add(("posterior std", Grid(std)));
        for (int k = 0; k < Math.Min(4, (int)draws.shape[0]); k++) panels.Add(($"draw {k + 1}", Grid(draws[k])));
        FieldPlot.Save(path, panels, columns: 4);
        return true;
    }
}
