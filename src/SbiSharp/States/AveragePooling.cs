using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>Coarse-graining: the mean over non-overlapping f×f blocks of an H×W field (flattened row-major), an (H/f)×(W/f) observation.</summary>
public sealed class AveragePooling : ILinearOperator
{
    /// <summary>Creates the operator.</summary>
    /// <param name="height">H, divisible by <paramref name="factor"/>.</param>
    /// <param name="width">W, divisible by <paramref name="factor"/>.</param>
    /// <param name="factor">f ≥ 1, the block side.</param>
    /// <exception cref="ArgumentException">A size that f does not divide.</exception>
    public AveragePooling(int height, int width, int factor)
    {
        OperatorChecks.Grid(height, width);
        Internal.Check.PositiveValue(factor, nameof(factor));
        if (height % factor != 0 || width % factor != 0)
            throw new ArgumentException($"`factor` = {factor} must divide the field's height {height} and width {width}.", nameof(factor));
        (Height, Width, Factor) = (height, width, factor);
    }

    /// <summary>H.</summary>
    public int Height { get; }

    /// <summary>W.</summary>
    public int Width { get; }

    /// <summary>f.</summary>
    public int Factor { get; }

    /// <inheritdoc />
    public int InputDimension => Height * Width;

    /// <inheritdoc />
    public int OutputDimension => Height / Factor * (Width / Factor);

    /// <inheritdoc />
    public string Name => $"pool-{Factor}";

    /// <inheritdoc />
    public Tensor Apply(Tensor x)
    {
        OperatorChecks.Input(this, x);
        using var blocks = x.reshape(x.shape[0], Height / Factor, Factor, Width / Factor, Factor);
        using var mean = blocks.mean(new long[] { 2, 4 });
        return mean.reshape(x.shape[0], OutputDimension);
    }

    /// <inheritdoc />
    public Tensor Transpose(Tensor y)
    {
        OperatorChecks.Output(this, y);
        long b = y.shape[0], h = Height / Factor, w = Width / Factor;
        using var grid = y.reshape(b, h, 1, w, 1);
        using var spread = grid.expand(b, h, Factor, w, Factor);
        using var flat = spread.reshape(b, InputDimension);
        return flat.Div((double)(Factor * Factor));
    }
}
