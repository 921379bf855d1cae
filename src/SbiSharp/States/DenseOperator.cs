using static TorchSharp.torch;

namespace SbiSharp.States;

/// <summary>A dense matrix A (M, D): any linear map small enough to store.</summary>
public sealed class DenseOperator : ILinearOperator
{
    private readonly double[,] _matrix;

    /// <summary>Creates the operator.</summary>
    /// <param name="matrix">A, (M, D), finite.</param>
    /// <exception cref="ArgumentException">An empty or non-finite matrix.</exception>
    public DenseOperator(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.GetLength(0) == 0 || matrix.GetLength(1) == 0)
            throw new ArgumentException($"`matrix` must have at least one row and column; got ({matrix.GetLength(0)}, {matrix.GetLength(1)}).", nameof(matrix));
        foreach (var v in matrix)
            if (!double.IsFinite(v)) throw new ArgumentException($"`matrix` must be finite; got {v}.", nameof(matrix));
        _matrix = (double[,])matrix.Clone();
    }

    /// <inheritdoc />
    public int InputDimension => _matrix.GetLength(1);

    /// <inheritdoc />
    public int OutputDimension => _matrix.GetLength(0);

    /// <inheritdoc />
    public string Name => $"dense-{OutputDimension}x{InputDimension}";

    /// <inheritdoc />
    public Tensor Apply(Tensor x)
    {
        OperatorChecks.Input(this, x);
        using var a = tensor(_matrix, dtype: x.dtype, device: x.device);
        return x.matmul(a.T);
    }

    /// <inheritdoc />
    public Tensor Transpose(Tensor y)
    {
        OperatorChecks.Output(this, y);
        using var a = tensor(_matrix, dtype: y.dtype, device: y.device);
        return y.matmul(a);
    }
}
