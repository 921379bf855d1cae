using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Networks;

/// <summary>A 1-D or 2-D convolution that keeps the size, with periodic (wrap-around) or zero padding, on the functional convolution.</summary>
/// <remarks>Written as im2col (strided views) and one matrix product instead of libtorch's convolution: TorchSharp 0.107's CPU conv1d/conv2d returned NaN or
/// run-to-run different values for some shapes (measured: 24 input channels, 3×3 kernel, batch 2 at 4×4 or batch 3 at 8×8; the same call on the same input
/// differed in up to all of 200 repeats), which a denoiser cannot have. Padding is done here too (edge copies for periodic, zeros otherwise).</remarks>
internal sealed class UNetConvolution : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly int _spatial;
    private readonly bool _periodic;
    private readonly long _pad;

    public UNetConvolution(int spatialDimensions, long input, long output, int kernel, bool periodic) : base(nameof(UNetConvolution))
    {
        _spatial = spatialDimensions;
        _periodic = periodic;
        _pad = kernel / 2;
        var shape = new long[] { output, input }.Concat(Enumerable.Repeat((long)kernel, spatialDimensions)).ToArray();
        weight = new Parameter(zeros(shape));
        bias = new Parameter(zeros(output));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public Parameter Bias => bias;

    public override Tensor forward(Tensor h)
    {
        using var scope = NewDisposeScope();
        // Everything as (B, C, H, W): a 1-D signal is a field of height 1 whose kernel spans only its width.
        var x = _spatial == 2 ? h : h.unsqueeze(2);
        if (_pad > 0)
        {
            x = Extend(x, -1);
            if (_spatial == 2) x = Extend(x, -2);
        }
        var kh = _spatial == 2 ? 2 * _pad + 1 : 1;
        var kw = 2 * _pad + 1;
        long b = x.shape[0], c = x.shape[1], height = x.shape[2] - (kh - 1), width = x.shape[3] - (kw - 1);
        // im2col by views: (B, C, H, W, kh, kw) windows, then one matrix product with the (O, C·kh·kw) weight.
        var windows = kh == 1 && kw == 1 ? x.unsqueeze(-1).unsqueeze(-1) : x.unfold(2, kh, 1).unfold(3, kw, 1);
        var columns = windows.permute(0, 2, 3, 1, 4, 5).reshape(b * height * width, c * kh * kw);
        var output = weight.shape[0];
        var y = columns.matmul(weight.reshape(output, -1).t()).Plus(bias).reshape(b, height, width, output).permute(0, 3, 1, 2);
        return (_spatial == 2 ? y.contiguous() : y.squeeze(2).contiguous()).MoveToOuterDisposeScope();
    }

    /// <summary>Extends dimension <paramref name="dim"/> by <see cref="_pad"/> cells on each side: copies of the opposite edge (periodic) or zeros.</summary>
    private Tensor Extend(Tensor x, int dim)
    {
        var n = x.shape[x.dim() + dim];
        if (_periodic) return cat(new[] { x.narrow(dim, n - _pad, _pad), x, x.narrow(dim, 0, _pad) }, dim);
        var shape = x.shape.ToArray();
        shape[shape.Length + dim] = _pad;
        var border = zeros(shape, dtype: x.dtype, device: x.device);
        return cat(new[] { border, x, border }, dim);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            weight.Dispose();
            bias.Dispose();
        }
        base.Dispose(disposing);
    }
}
