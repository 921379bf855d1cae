using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>Group normalization with affine parameters that start at 1 and 0 (TorchSharp 0.107's GroupNorm module left them uninitialized: 4e16 and NaN measured).</summary>
internal sealed class UNetGroupNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long _groups;

    public UNetGroupNorm(long groups, long channels) : base(nameof(UNetGroupNorm))
    {
        _groups = groups;
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor h) => nn.functional.group_norm(h, _groups, weight, bias, 1e-5);

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
