using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Networks;

/// <summary>One residual block of the U-Net: h + conv(SiLU(FiLM(GN(conv(SiLU(GN(h)))), e))), FiLM being (1 + scale)·h + shift from the embedding e.</summary>
internal sealed class UNetBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly UNetGroupNorm norm1;
    private readonly UNetConvolution conv1;
    private readonly Linear film;
    private readonly UNetGroupNorm norm2;
    private readonly UNetConvolution conv2;
    private readonly UNetConvolution? skip;
    private readonly UNetLayers _layers;
    private readonly long _channels;

    public UNetBlock(UNetLayers layers, long input, long output, long embedding) : base(nameof(UNetBlock))
    {
        _layers = layers;
        _channels = output;
        norm1 = layers.Norm(input);
        conv1 = layers.Convolution(input, output);
        film = nn.Linear(embedding, 2 * output);
        norm2 = layers.Norm(output);
        conv2 = layers.Convolution(output, output);
        skip = input == output ? null : layers.Convolution(input, output, kernel: 1);
        RegisterComponents();
    }

    /// <summary>The last convolution, zeroed at initialization so that a block starts as the identity (its skip).</summary>
    public UNetConvolution Last => conv2;

    public override Tensor forward(Tensor h, Tensor embedding)
    {
        using var scope = NewDisposeScope();
        var a = conv1.forward(norm1.forward(h).silu());
        var modulation = _layers.Spatial(film.forward(embedding));
        var scale = modulation.narrow(1, 0, _channels);
        var shift = modulation.narrow(1, _channels, _channels);
        var b = norm2.forward(a).mul(scale.Add(1.0)).Plus(shift);
        var residual = skip is null ? h : skip.forward(h);
        return residual.Plus(conv2.forward(b.silu())).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            norm1.Dispose();
            conv1.Dispose();
            film.Dispose();
            norm2.Dispose();
            conv2.Dispose();
            skip?.Dispose();
        }
        base.Dispose(disposing);
    }
}
