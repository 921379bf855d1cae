using SbiSharp.Internal;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Priors;

/// <summary>Independent Gaussian prior N(μ, diag(s²)).</summary>
/// <remarks>log p(θ) = −½ Σ ((θᵢ − μᵢ)/sᵢ)² − Σ log sᵢ − (D/2) log 2π; score −(θ − μ)/s².</remarks>
public sealed class DiagonalGaussianPrior : IScoredPrior
{
    private readonly double[] _mean;
    private readonly double[] _std;

    /// <summary>Creates the prior from means and standard deviations.</summary>
    /// <param name="mean">Means μ, one per parameter.</param>
    /// <param name="std">Standard deviations s, each positive.</param>
    /// <exception cref="ArgumentException">Lengths differ or a value is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A standard deviation is not positive.</exception>
    public DiagonalGaussianPrior(double[] mean, double[] std)
    {
        _mean = Check.FiniteArray(mean, nameof(mean));
        _std = Check.FiniteArray(std, nameof(std));
        Check.NotEmpty(_mean, nameof(mean));
        Check.SameLength(_mean, nameof(mean), _std, nameof(std));
        Check.Positive(_std, nameof(std));
    }

    /// <summary>N(0, variance·I) in <paramref name="dimension"/> parameters.</summary>
    public static DiagonalGaussianPrior Isotropic(int dimension, double variance)
    {
        Check.PositiveValue(variance, nameof(variance));
        return new(new double[dimension], Enumerable.Repeat(Math.Sqrt(variance), dimension).ToArray());
    }

    /// <inheritdoc />
    public int Dimension => _mean.Length;

    /// <summary>Means μ.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Standard deviations s.</summary>
    public IReadOnlyList<double> Std => _std;

    /// <inheritdoc />
    public Tensor Sample(long n, Generator? generator = null)
    {
        PriorChecks.Count(n);
        using var scope = NewDisposeScope();
        var z = randn(new[] { n, Dimension }, generator: generator);
        return (Tensors.Row(_mean).Plus(z * Tensors.Row(_std))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor LogProb(Tensor theta)
    {
        PriorChecks.Theta(this, theta);
        using var scope = NewDisposeScope();
        var z = (theta - Tensors.Row(_mean).to(theta.dtype)) / Tensors.Row(_std).to(theta.dtype);
        var constant = _std.Sum(Math.Log) + 0.5 * Dimension * Math.Log(2 * Math.PI);
        return (z.Square().sum(1).Mul(-0.5).Sub(constant)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Score(Tensor theta)
    {
        PriorChecks.Theta(this, theta);
        using var scope = NewDisposeScope();
        var variance = Tensors.Row(_std).to(theta.dtype).Square();
        return (-(theta - Tensors.Row(_mean).to(theta.dtype)) / variance).MoveToOuterDisposeScope();
    }
}
