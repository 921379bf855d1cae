using SbiSharp.Internal;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Data;

/// <summary>Per-column affine standardization z = (v − mean) / std, fitted on training data and stored with a model.</summary>
/// <remarks>Means and variances are merged batch by batch (Chan et al. 1979), so streaming data is fine. Columns with zero spread keep std 1
/// (no division by zero) and are listed in <see cref="ConstantColumns"/>, so a caller can warn or refuse.</remarks>
public sealed record Standardizer
{
    /// <summary>Creates a standardizer from known means and standard deviations.</summary>
    /// <exception cref="ArgumentException">Lengths differ, or a value is not finite or a std not positive.</exception>
    public Standardizer(double[] mean, double[] std)
    {
        Mean = Check.FiniteArray(mean, nameof(mean));
        Std = Check.FiniteArray(std, nameof(std));
        Check.SameLength(Mean, nameof(mean), Std, nameof(std));
        Check.Positive(Std, nameof(std));
    }

    /// <summary>Column means.</summary>
    public double[] Mean { get; }

    /// <summary>Column standard deviations (unbiased), all positive.</summary>
    public double[] Std { get; }

    /// <summary>Columns (0-based) that had no spread in the data <see cref="Fit"/> saw; empty for a standardizer built from known values or read from a file.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<int> ConstantColumns { get; private init; } = Array.Empty<int>();

    /// <summary>Number of columns.</summary>
    public int Dimension => Mean.Length;

    /// <summary>The identity transform in <paramref name="dimension"/> columns.</summary>
    public static Standardizer Identity(int dimension) =>
        new(new double[dimension], Enumerable.Repeat(1.0, dimension).ToArray());

    /// <summary>Fits means and standard deviations over all rows of all <paramref name="batches"/> (each (B, D)).</summary>
    public static Standardizer Fit(IEnumerable<Tensor> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        double n = 0;
        double[]? mean = null, m2 = null;
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var b = batch.to(ScalarType.Float64);
            double nb = b.shape[0];
            if (nb == 0) continue;
            var bm = Tensors.ToDoubles(b.mean(new long[] { 0 }));
            var bv = Tensors.ToDoubles((b - b.mean(new long[] { 0 }, keepdim: true)).Square().sum(new long[] { 0 }));
            if (mean is null) { mean = bm; m2 = bv; n = nb; continue; }
            double total = n + nb;
            for (int j = 0; j < mean.Length; j++)
            {
                double delta = bm[j] - mean[j];
                mean[j] += delta * nb / total;
                m2![j] += bv[j] + delta * delta * n * nb / total;
            }
            n = total;
        }
        if (mean is null) throw new ArgumentException("`batches` held no rows to fit a standardizer on.", nameof(batches));
        var raw = m2!.Select(v => n > 1 ? Math.Sqrt(v / (n - 1)) : 0.0).ToArray();
        // Spread below float32 resolution of the column's magnitude counts as none.
        var constant = Enumerable.Range(0, raw.Length).Where(j => !(raw[j] > 1e-6 * Math.Max(1.0, Math.Abs(mean[j])) && double.IsFinite(raw[j]))).ToArray();
        var std = raw.Select((s, j) => constant.Contains(j) ? 1.0 : s).ToArray();
        return new Standardizer(mean, std) { ConstantColumns = constant };
    }

    /// <summary>Standardizes <paramref name="values"/> (B, D).</summary>
    public Tensor Forward(Tensor values)
    {
        Check.Matrix(values, Dimension, nameof(values), "to match the standardizer");
        using var scope = NewDisposeScope();
        return ((values - Tensors.Row(Mean).to(values.dtype).to(values.device)) / Tensors.Row(Std).to(values.dtype).to(values.device)).MoveToOuterDisposeScope();
    }

    /// <summary>Maps standardized values (..., D) back to original units.</summary>
    public Tensor Inverse(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.shape[^1] != Dimension)
            throw new ArgumentException($"`values` must have {Dimension} columns in the last axis; got {Check.Shape(values)}.", nameof(values));
        using var scope = NewDisposeScope();
        return ((values * Tensors.Row(Std).to(values.dtype).to(values.device).squeeze(0)).Plus(Tensors.Row(Mean).to(values.dtype).to(values.device).squeeze(0))).MoveToOuterDisposeScope();
    }

    /// <summary>Sum of log standard deviations: the log-Jacobian of <see cref="Inverse"/>.</summary>
    public double LogScale => Std.Sum(Math.Log);
}
