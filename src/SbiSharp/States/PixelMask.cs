using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>Observes a subset of a state's entries (inpainting, sparse sensors): (A x)_j = x_{i_j}.</summary>
public sealed class PixelMask : ILinearOperator
{
    private readonly long[] _indices;

    /// <summary>Creates the mask.</summary>
    /// <param name="dimension">D, the flattened state's length.</param>
    /// <param name="indices">The observed entries, distinct, in [0, D); their order is the observation's.</param>
    /// <exception cref="ArgumentException">No index, a repeated one, or one outside [0, D).</exception>
    public PixelMask(int dimension, IReadOnlyList<int> indices)
    {
        Internal.Check.PositiveValue(dimension, nameof(dimension));
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0) throw new ArgumentException("`indices` must name at least one observed entry; got none.", nameof(indices));
        if (indices.Any(i => i < 0 || i >= dimension))
            throw new ArgumentException($"`indices` must lie in [0, {dimension}); got {indices.First(i => i < 0 || i >= dimension)}.", nameof(indices));
        if (indices.Distinct().Count() != indices.Count) throw new ArgumentException("`indices` must be distinct; got a repeated index.", nameof(indices));
        InputDimension = dimension;
        _indices = indices.Select(i => (long)i).ToArray();
    }

    /// <summary>A mask that observes each entry with probability <paramref name="fraction"/> (at least one), drawn with <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> outside (0, 1].</exception>
    public static PixelMask Random(int dimension, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"`fraction` must lie in (0, 1]; got {fraction}.");
        var random = new System.Random(seed);
        var chosen = Enumerable.Range(0, dimension).Where(_ => random.NextDouble() < fraction).ToList();
        if (chosen.Count == 0) chosen.Add(random.Next(dimension));
        return new PixelMask(dimension, chosen);
    }

    /// <summary>The observed entries.</summary>
    public IReadOnlyList<long> Indices => _indices;

    /// <inheritdoc />
    public int InputDimension { get; }

    /// <inheritdoc />
    public int OutputDimension => _indices.Length;

    /// <inheritdoc />
    public string Name => $"mask-{_indices.Length}";

    /// <inheritdoc />
    public Tensor Apply(Tensor x)
    {
        OperatorChecks.Input(this, x);
        using var index = tensor(_indices, device: x.device);
        return x.index_select(1, index);
    }

    /// <inheritdoc />
    public Tensor Transpose(Tensor y)
    {
        OperatorChecks.Output(this, y);
        using var index = tensor(_indices, device: y.device);
        using var empty = zeros(y.shape[0], InputDimension, dtype: y.dtype, device: y.device);
        return empty.index_add(1, index, y, ScalarMath.One);
    }
}
