using SbiSharp.Internal;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Diagnostics;

/// <summary>Unbiased squared maximum mean discrepancy between two samples (Gretton et al. 2012, JMLR 13:723).</summary>
/// <remarks>
/// MMD²ᵤ = Σ_{i≠j} k(xᵢ, xⱼ)/(n(n−1)) + Σ_{i≠j} k(yᵢ, yⱼ)/(m(m−1)) − 2 Σ k(xᵢ, yⱼ)/(nm). Kernel sums are accumulated in blocks in
/// float64, so 10,000 × 10,000 pairs need little memory.
/// </remarks>
public static class Mmd
{
    private const int Block = 2048;

    /// <summary>Computes MMD²ᵤ between <paramref name="reference"/> (n, d) and <paramref name="test"/> (m, d).</summary>
    /// <exception cref="ArgumentException">Dimensions differ, fewer than 2 rows, or NaN/Inf.</exception>
    public static MmdResult Squared(Tensor reference, Tensor test, MmdKernel kernel = MmdKernel.Gaussian)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(test);
        if (reference.dim() != 2 || reference.shape[0] < 2) throw new ArgumentException($"`reference` must have shape (n ≥ 2, d); got {Check.Shape(reference)}.", nameof(reference));
        if (test.dim() != 2 || test.shape[1] != reference.shape[1] || test.shape[0] < 2)
            throw new ArgumentException($"`test` must have shape (m ≥ 2, {reference.shape[1]}); got {Check.Shape(test)}.", nameof(test));
        Check.Finite(reference, nameof(reference));
        Check.Finite(test, nameof(test));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = reference.to(ScalarType.Float64);
        var y = test.to(ScalarType.Float64);
        double bandwidth = double.NaN;
        Func<Tensor, Tensor> k;
        if (kernel == MmdKernel.Gaussian)
        {
            bandwidth = MedianDistance(x);
            var scale = 1 / (2 * bandwidth * bandwidth);
            k = d2 => (d2.Mul(-scale)).exp();
        }
        else
        {
            var scales = Enumerable.Range(0, 11).Select(i => Math.Pow(10, -6 + 1.2 * i)).ToArray();
            k = d2 => scales.Select(s => (d2.Add(s)).RDiv(s)).Aggregate((a, b) => a.Plus(b));
        }
        double n = x.shape[0], m = y.shape[0];
        var kxx = (KernelSum(x, x, k) - n * k(zeros(1, dtype: ScalarType.Float64)).item<double>()) / (n * (n - 1));
        var kyy = (KernelSum(y, y, k) - m * k(zeros(1, dtype: ScalarType.Float64)).item<double>()) / (m * (m - 1));
        var kxy = KernelSum(x, y, k) / (n * m);
        return new MmdResult(kxx + kyy - 2 * kxy, kernel, bandwidth);
    }

    private static double KernelSum(Tensor a, Tensor b, Func<Tensor, Tensor> k)
    {
        double total = 0;
        for (long i = 0; i < a.shape[0]; i += Block)
        {
            using var scope = NewDisposeScope();
            var ai = a.narrow(0, i, Math.Min(Block, a.shape[0] - i));
            for (long j = 0; j < b.shape[0]; j += Block)
            {
                using var inner = NewDisposeScope();
                var bj = b.narrow(0, j, Math.Min(Block, b.shape[0] - j));
                total += k(cdist(ai, bj).Square()).sum().item<double>();
            }
        }
        return total;
    }

    /// <summary>Median pairwise Euclidean distance within (at most the first 2,000 rows of) <paramref name="x"/>.</summary>
    private static double MedianDistance(Tensor x)
    {
        using var scope = NewDisposeScope();
        var s = x.narrow(0, 0, Math.Min(2000, x.shape[0]));
        var d = cdist(s, s);
        var upper = d.masked_select(ones_like(d, dtype: ScalarType.Bool).triu(1));
        var median = upper.median().item<double>();
        return median > 0 ? median : 1.0;
    }
}
