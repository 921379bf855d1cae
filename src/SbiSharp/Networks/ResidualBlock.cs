using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SbiSharp.Torch;

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
        var residual = skip is null ? h : skip.forward(h);
        return Finish(dense.forward(h), residual, time).MoveToOuterDisposeScope();
    }

    /// <summary>The block applied to cat(a, b) without building it: b may have one row (one observation for the whole batch), so its share of the input layers is computed once and broadcast.</summary>
    public Tensor Forward(Tensor a, Tensor b, Tensor time)
    {
        using var scope = NewDisposeScope();
        var split = a.shape[1];
        var weight = dense.weight!;
        var pre = nn.functional.linear(a, weight[.., ..(int)split]).Plus(nn.functional.linear(b, weight[.., (int)split..], dense.bias));
        var residual = skip is null
            ? cat(new[] { a, b.expand(a.shape[0], -1) }, 1)
            : nn.functional.linear(a, skip.weight![.., ..(int)split]).Plus(nn.functional.linear(b, skip.weight![.., (int)split..]));
        return Finish(pre, residual, time).MoveToOuterDisposeScope();
    }

    private Tensor Finish(Tensor pre, Tensor residual, Tensor time)
    {
        var y = norm.forward(pre).Plus(film.forward(time)).Mish();
        if (training && _dropout > 0)
        {
            // The mask is a constant for autograd: compare and scale it in place (no boolean tensor and no cast; its cost is
            // in `bench profile`'s op table), so forward and backward each cost one multiplication. Same values as
            // rand ≥ p cast to float and divided by 1 − p.
            var mask = rand(y.shape, dtype: y.dtype, device: y.device, generator: DropoutGenerator);
            mask.GeInPlace(_dropout).DivInPlace(1 - _dropout);
            y = y * mask;
        }
        return residual.Plus(y);
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
