using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.Diagnostics;

/// <summary>Posterior draws of N test sets with their true parameters, checked and copied to double arrays.</summary>
internal sealed class PosteriorDraws
{
    private PosteriorDraws(int sets, int draws, int dimension, double[] values, double[] truths)
    {
        Sets = sets;
        Draws = draws;
        Dimension = dimension;
        Values = values;
        Truths = truths;
    }

    /// <summary>Test sets N.</summary>
    public int Sets { get; }

    /// <summary>Draws per test set n.</summary>
    public int Draws { get; }

    /// <summary>Parameter dimension D.</summary>
    public int Dimension { get; }

    /// <summary>Draws laid out (N, D, n): the n draws of parameter p of set j are contiguous.</summary>
    public double[] Values { get; }

    /// <summary>True parameters laid out (N, D).</summary>
    public double[] Truths { get; }

    /// <summary>The draws of parameter <paramref name="p"/> in test set <paramref name="j"/>.</summary>
    public ReadOnlySpan<double> Of(int j, int p) => Values.AsSpan(((j * Dimension) + p) * Draws, Draws);

    /// <summary>The true value of parameter <paramref name="p"/> in test set <paramref name="j"/>.</summary>
    public double Truth(int j, int p) => Truths[(j * Dimension) + p];

    /// <summary>Checks shapes and values and copies them.</summary>
    public static PosteriorDraws From(Tensor samples, Tensor truths, int minimumSets = 1, int minimumDraws = 1)
    {
        Validate(samples, truths, minimumSets, minimumDraws);
        using var scope = NewDisposeScope();
        var values = Tensors.ToDoubles(samples.to(ScalarType.Float64).permute(0, 2, 1).contiguous());
        return new PosteriorDraws((int)samples.shape[0], (int)samples.shape[1], (int)samples.shape[2], values, Tensors.ToDoubles(truths.to(ScalarType.Float64)));
    }

    /// <summary>Checks that samples are (N, n, D) and truths (N, D), with enough sets and draws and finite values, without copying.</summary>
    public static void Validate(Tensor samples, Tensor truths, int minimumSets = 1, int minimumDraws = 1)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(truths);
        if (samples.dim() != 3) throw new ArgumentException($"`samples` must have shape (N, n, D); got {Check.Shape(samples)}.", nameof(samples));
        if (truths.dim() != 2 || truths.shape[0] != samples.shape[0] || truths.shape[1] != samples.shape[2])
            throw new ArgumentException($"`truths` must have shape ({samples.shape[0]}, {samples.shape[2]}) to match `samples`; got {Check.Shape(truths)}.", nameof(truths));
        if (samples.shape[0] < minimumSets)
            throw new ArgumentException($"`samples` needs at least {minimumSets} test sets (N); got {samples.shape[0]}.", nameof(samples));
        if (samples.shape[1] < minimumDraws)
            throw new ArgumentException($"`samples` needs at least {minimumDraws} draws per test set (n); got {samples.shape[1]}.", nameof(samples));
        Check.Finite(samples, nameof(samples));
        Check.Finite(truths, nameof(truths));
    }
}
