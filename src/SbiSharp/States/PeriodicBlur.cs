using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>A periodic Gaussian blur of an H×W field: circular convolution with a Gaussian of width <see cref="Width"/> pixels, computed in Fourier space.
/// Its Fourier multiplier exp(−2π²w²|k|²) is real and symmetric, so the operator is self-adjoint (Aᵀ = A).</summary>
public sealed class PeriodicBlur : ILinearOperator
{
    private readonly Tensor _multiplier;

    /// <summary>Creates the blur.</summary>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="blurWidth">w &gt; 0, the kernel's standard deviation in pixels.</param>
    public PeriodicBlur(int height, int width, double blurWidth)
    {
        OperatorChecks.Grid(height, width);
        if (!(blurWidth > 0) || !double.IsFinite(blurWidth)) throw new ArgumentOutOfRangeException(nameof(blurWidth), blurWidth, $"`blurWidth` must be a positive number of pixels; got {blurWidth}.");
        (Height, GridWidth, Width) = (height, width, blurWidth);
        using var k2 = PeriodicGrid.SquaredFrequency(height, width);
        using var exponent = k2.Mul(-2 * Math.PI * Math.PI * blurWidth * blurWidth);
        _multiplier = exponent.exp().DetachFromDisposeScope();
    }

    /// <summary>H.</summary>
    public int Height { get; }

    /// <summary>W.</summary>
    public int GridWidth { get; }

    /// <summary>The kernel's standard deviation, pixels.</summary>
    public double Width { get; }

    /// <inheritdoc />
    public int InputDimension => Height * GridWidth;

    /// <inheritdoc />
    public int OutputDimension => Height * GridWidth;

    /// <inheritdoc />
    public string Name => $"blur-{Width:0.##}";

    /// <inheritdoc />
    public Tensor Apply(Tensor x)
    {
        OperatorChecks.Input(this, x);
        return PeriodicGrid.Filter(x, _multiplier, Height, GridWidth);
    }

    /// <inheritdoc />
    public Tensor Transpose(Tensor y)
    {
        OperatorChecks.Output(this, y);
        return PeriodicGrid.Filter(y, _multiplier, Height, GridWidth);
    }
}
