using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.States;

/// <summary>The isotropic power spectrum of periodic H×W fields: mean |x̂(k)|² over the shells round(|k|) = 0, 1, …, min(H, W)/2, k in cycles per domain.</summary>
public static class RadialSpectrum
{
    /// <summary>Power per shell, averaged over the fields (B, H·W) or (B, 1, H, W) and over the Fourier coefficients of each shell; the coefficients are
    /// normalized by H·W, so a white field of variance 1 has power 1 in every shell.</summary>
    /// <exception cref="ArgumentException">Fields of another size.</exception>
    public static double[] Of(Tensor fields, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(fields);
        OperatorChecks.Grid(height, width);
        if (fields.dim() < 2 || fields.shape[0] < 1 || fields.numel() != fields.shape[0] * height * width)
            throw new ArgumentException($"`fields` must be (B, {height * width}) or (B, 1, {height}, {width}); got {Internal.Check.Shape(fields)}.", nameof(fields));
        using var scope = NewDisposeScope();
        var grid = fields.to(ScalarType.Float64).reshape(fields.shape[0], height, width);
        var power = fft.fft2(grid).abs().Square().mean(new long[] { 0 }).Div((double)height * width);
        var fy = fft.fftfreq(height, dtype: ScalarType.Float64).Mul((double)height).unsqueeze(1);
        var fx = fft.fftfreq(width, dtype: ScalarType.Float64).Mul((double)width).unsqueeze(0);
        var radius = fy.Square().Plus(fx.Square()).sqrt().round().to(ScalarType.Int64).reshape(-1);
        var shells = Math.Min(height, width) / 2 + 1;
        using var limit = ((long)shells).ToScalar();
        var keep = radius.lt(limit);
        var index = radius.masked_select(keep);
        var values = power.reshape(-1).masked_select(keep);
        var sums = zeros(shells, dtype: ScalarType.Float64).index_add_(0, index, values, ScalarMath.One);
        var counts = zeros(shells, dtype: ScalarType.Float64).index_add_(0, index, ones_like(values), ScalarMath.One);
        return (sums / counts).data<double>().ToArray();
    }
}
