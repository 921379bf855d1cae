using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>An operator A seen from standardized states z, where x = μ + s ⊙ z: z ↦ A(s ⊙ z) (the shift A μ moves to the observation), transpose u ↦ s ⊙ Aᵀu.</summary>
internal sealed class StandardizedOperator : ILinearOperator
{
    private readonly ILinearOperator _inner;
    private readonly double[] _scale;
    private readonly double? _common;

    public StandardizedOperator(ILinearOperator inner, double[] scale)
    {
        _inner = inner;
        _scale = scale;
        _common = scale.All(v => v == scale[0]) ? scale[0] : null;
    }

    public int InputDimension => _inner.InputDimension;

    public int OutputDimension => _inner.OutputDimension;

    public string Name => _inner.Name;

    public Tensor Apply(Tensor x)
    {
        OperatorChecks.Input(this, x);
        using var scaled = Scale(x);
        return _inner.Apply(scaled);
    }

    public Tensor Transpose(Tensor y)
    {
        OperatorChecks.Output(this, y);
        using var back = _inner.Transpose(y);
        return Scale(back);
    }

    private Tensor Scale(Tensor v)
    {
        if (_common is { } c) return v.Mul(c);
        using var s = tensor(_scale, new long[] { 1, _scale.Length }, dtype: v.dtype, device: v.device);
        return v * s;
    }
}
