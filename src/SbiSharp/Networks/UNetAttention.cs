using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Networks;

/// <summary>Single-head self-attention over the cells of a feature map, with a residual: h + W_o softmax(QᵀK/√C) V.</summary>
internal sealed class UNetAttention : nn.Module<Tensor, Tensor>
{
    private readonly UNetGroupNorm norm;
    private readonly Linear qkv;
    private readonly Linear output;
    private readonly long _channels;

    public UNetAttention(UNetLayers layers, long channels) : base(nameof(UNetAttention))
    {
        _channels = channels;
        norm = layers.Norm(channels);
        qkv = nn.Linear(channels, 3 * channels);
        output = nn.Linear(channels, channels);
        RegisterComponents();
    }

    /// <summary>The output projection, zeroed at initialization so that the layer starts as the identity.</summary>
    public Linear Output => output;

    public override Tensor forward(Tensor h)
    {
        using var scope = NewDisposeScope();
        var b = h.shape[0];
        // (B, C, …) → (B, N, C) tokens, one per cell.
        var tokens = norm.forward(h).reshape(b, _channels, -1).transpose(1, 2);
        var parts = qkv.forward(tokens).chunk(3, -1);
        var weights = parts[0].matmul(parts[1].transpose(1, 2)).Mul(1 / Math.Sqrt(_channels)).softmax(-1);
        var mixed = output.forward(weights.matmul(parts[2]));
        return h.Plus(mixed.transpose(1, 2).reshape(h.shape)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            norm.Dispose();
            qkv.Dispose();
            output.Dispose();
        }
        base.Dispose(disposing);
    }
}
