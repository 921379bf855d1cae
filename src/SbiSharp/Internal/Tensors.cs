using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Internal;

/// <summary>Small tensor helpers shared across namespaces.</summary>
internal static class Tensors
{
    /// <summary>V·diag(min(max(λ, 0), upper))·Vᵀ for symmetric matrices (..., D, D): negative eigenvalues set to 0 and, if given, capped by <paramref name="upper"/>, which broadcasts against the eigenvalues (..., D).</summary>
    public static Tensor ClipEigenvalues(Tensor symmetric, Tensor? upper = null)
    {
        using var scope = NewDisposeScope();
        var (values, vectors) = linalg.eigh(symmetric);
        values = values.ClampMin(0);
        if (upper is not null) values = minimum(values, upper);
        return vectors.matmul(values.unsqueeze(-1) * vectors.transpose(-1, -2)).MoveToOuterDisposeScope();
    }

    public static Tensor Row(double[] values, ScalarType dtype = ScalarType.Float32) =>
        tensor(values, dtype: dtype).unsqueeze(0);

    public static double[] ToDoubles(Tensor t) =>
        t.to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();

    public static double[,] ToMatrix(Tensor t)
    {
        var rows = (int)t.shape[0];
        var cols = (int)t.shape[1];
        var flat = ToDoubles(t);
        var m = new double[rows, cols];
        Buffer.BlockCopy(flat, 0, m, 0, flat.Length * sizeof(double));
        return m;
    }

    public static Tensor FromMatrix(double[,] values, ScalarType dtype = ScalarType.Float32)
    {
        var rows = values.GetLength(0);
        var cols = values.GetLength(1);
        var flat = new double[rows * cols];
        Buffer.BlockCopy(values, 0, flat, 0, flat.Length * sizeof(double));
        return tensor(flat, new long[] { rows, cols }, dtype: dtype);
    }
}
