using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Networks;

/// <summary>Builders of the U-Net's 1-D or 2-D layers, so that one network serves (C, L) and (C, H, W).</summary>
internal sealed class UNetLayers
{
    public UNetLayers(int spatialDimensions, UNetPadding padding, int groups)
    {
        SpatialDimensions = spatialDimensions;
        Periodic = padding == UNetPadding.Periodic;
        Groups = groups;
    }

    public int SpatialDimensions { get; }

    public bool Periodic { get; }

    public int Groups { get; }

    /// <summary>A convolution keeping the size: kernel 3 (padding 1) or 1.</summary>
    public UNetConvolution Convolution(long input, long output, int kernel = 3) => new(SpatialDimensions, input, output, kernel, Periodic);

    public UNetGroupNorm Norm(long channels) => new(Groups, channels);

    /// <summary>Halves every spatial size by averaging 2 (or 2×2) cells.</summary>
    public Tensor Down(Tensor h) => SpatialDimensions == 2 ? nn.functional.avg_pool2d(h, 2) : nn.functional.avg_pool1d(h, 2);

    /// <summary>Doubles every spatial size by repeating cells (nearest neighbour).</summary>
    public Tensor Up(Tensor h)
    {
        using var scope = NewDisposeScope();
        var r = h.repeat_interleave(2, -1);
        if (SpatialDimensions == 2) r = r.repeat_interleave(2, -2);
        return r.MoveToOuterDisposeScope();
    }

    /// <summary>Broadcasts per-row features (B, K) over the spatial dimensions: (B, K, 1, 1) or (B, K, 1).</summary>
    public Tensor Spatial(Tensor features) => SpatialDimensions == 2 ? features.unsqueeze(-1).unsqueeze(-1) : features.unsqueeze(-1);
}
