using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>One residual block: h + dropout(mish(LayerNorm(W h) + shift(time))), with a linear skip when widths differ.</summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm norm;
    private readonly Linear film;
    private readonly Linear? skip;
    private readonly double _dropout;

    public ResidualBlock(long inputWidth, long width, long timeFeatures, double dropout) : base(nameof(ResidualBlock))
    {
        dense = nn.Linear(inputWidth, width);
        norm = nn.LayerNorm(width);
        film = nn.Linear(timeFeatures, width);
        skip = inputWidth == width ? null : nn.Linear(inputWidth, width, hasBias: false);
        _dropout = dropout;
        RegisterComponents();
    }

    /// <summary>Random source for dropout masks, so training is reproducible; set by the trainer.</summary>
    public Generator? DropoutGenerator { get; set; }

    public override Tensor forward(Tensor h, Tensor time)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.mish(norm.forward(dense.forward(h)) + film.forward(time));
        if (training && _dropout > 0)
        {
            var keep = rand(y.shape, dtype: y.dtype, device: y.device, generator: DropoutGenerator) >= _dropout;
            y = y * keep.to(y.dtype) / (1 - _dropout);
        }
        var residual = skip is null ? h : skip.forward(h);
        return (residual + y).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            dense.Dispose();
            norm.Dispose();
            film.Dispose();
            skip?.Dispose();
        }
        base.Dispose(disposing);
    }
}
