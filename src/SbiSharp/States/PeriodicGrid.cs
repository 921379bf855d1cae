using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>Fourier helpers on a periodic H×W grid: frequencies of <c>rfft2</c>'s half spectrum and real filters applied through it.</summary>
internal static class PeriodicGrid
{
    /// <summary>|k|² in cycles per pixel on rfft2's half spectrum, (H, W/2 + 1), or on the full spectrum, (H, W), float64.</summary>
    public static Tensor SquaredFrequency(int height, int width, bool half = true)
    {
        using var scope = NewDisposeScope();
        var fy = fft.fftfreq(height, dtype: ScalarType.Float64).unsqueeze(1);
        var fx = (half ? fft.rfftfreq(width, dtype: ScalarType.Float64) : fft.fftfreq(width, dtype: ScalarType.Float64)).unsqueeze(0);
        return (fy.Square().Plus(fx.Square())).MoveToOuterDisposeScope();
    }

    /// <summary>Applies the real filter <paramref name="multiplier"/> (H, W/2 + 1) or (B, H, W/2 + 1) to fields (B, H·W): a circular convolution.</summary>
    public static Tensor Filter(Tensor fields, Tensor multiplier, int height, int width)
    {
        using var scope = NewDisposeScope();
        var grid = fields.reshape(fields.shape[0], height, width);
        var spectrum = fft.rfft2(grid);
        var filtered = fft.irfft2(spectrum * multiplier.to(fields.dtype), s: new long[] { height, width });
        return filtered.reshape(fields.shape[0], height * width).MoveToOuterDisposeScope();
    }
}
