using SbiSharp.Internal;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Priors;

/// <summary>Independent uniform prior on the box [low, high].</summary>
/// <remarks>log p(θ) = −Σ log(high − low) inside the box and −∞ outside. No score: it is zero inside and undefined on the boundary.</remarks>
public sealed class BoxUniformPrior : IPrior
{
    private readonly double[] _low;
    private readonly double[] _high;

    /// <summary>Creates the prior.</summary>
    /// <param name="low">Lower bounds, one per parameter.</param>
    /// <param name="high">Upper bounds, each strictly greater than the matching lower bound.</param>
    /// <exception cref="ArgumentException">Lengths differ, a bound is not finite, or low ≥ high.</exception>
    public BoxUniformPrior(double[] low, double[] high)
    {
        _low = Check.FiniteArray(low, nameof(low));
        _high = Check.FiniteArray(high, nameof(high));
        Check.NotEmpty(_low, nameof(low));
        Check.SameLength(_low, nameof(low), _high, nameof(high));
        for (int i = 0; i < _low.Length; i++)
            if (!(_low[i] < _high[i]))
                throw new ArgumentException($"`low[{i}]` must be less than `high[{i}]`; got low = {_low[i]}, high = {_high[i]}.", nameof(high));
    }

    /// <summary>The same bounds in every one of <paramref name="dimension"/> parameters.</summary>
    public static BoxUniformPrior Cube(int dimension, double low, double high) =>
        new(Enumerable.Repeat(low, dimension).ToArray(), Enumerable.Repeat(high, dimension).ToArray());

    /// <inheritdoc />
    public int Dimension => _low.Length;

    /// <summary>Lower bounds.</summary>
    public IReadOnlyList<double> Low => _low;

    /// <summary>Upper bounds.</summary>
    public IReadOnlyList<double> High => _high;

    /// <summary>The box [low, high].</summary>
    public Support Support => new(_low, _high);

    /// <inheritdoc />
    public Tensor Sample(long n, Generator? generator = null)
    {
        PriorChecks.Count(n);
        using var scope = NewDisposeScope();
        var u = rand(new[] { n, Dimension }, generator: generator);
        var low = Tensors.Row(_low);
        var width = Tensors.Row(_high) - low;
        return (low.Plus(u * width)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor LogProb(Tensor theta)
    {
        PriorChecks.Theta(this, theta);
        using var scope = NewDisposeScope();
        var low = Tensors.Row(_low).to(theta.dtype);
        var high = Tensors.Row(_high).to(theta.dtype);
        var inside = (theta >= low).logical_and(theta <= high).all(1);
        var logVolume = _low.Zip(_high, (l, h) => Math.Log(h - l)).Sum();
        var value = ScalarMath.Full(new[] { theta.shape[0] }, -logVolume, dtype: theta.dtype);
        return value.MaskedFill(inside.logical_not(), double.NegativeInfinity).MoveToOuterDisposeScope();
    }
}
