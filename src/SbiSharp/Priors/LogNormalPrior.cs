using SbiSharp.Internal;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Priors;

/// <summary>Independent log-normal prior: log θᵢ ~ N(μᵢ, sᵢ²).</summary>
/// <remarks>log p(θ) = Σ [−log θᵢ − log sᵢ − ½ log 2π − (log θᵢ − μᵢ)²/(2sᵢ²)] for θ &gt; 0, −∞ otherwise; score −1/θ − (log θ − μ)/(s² θ).</remarks>
public sealed class LogNormalPrior : IScoredPrior
{
    private readonly double[] _mu;
    private readonly double[] _sigma;

    /// <summary>Creates the prior from the mean and standard deviation of log θ.</summary>
    /// <param name="mu">Means of log θ.</param>
    /// <param name="sigma">Standard deviations of log θ, each positive.</param>
    /// <exception cref="ArgumentException">Lengths differ or a value is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A standard deviation is not positive.</exception>
    public LogNormalPrior(double[] mu, double[] sigma)
    {
        _mu = Check.FiniteArray(mu, nameof(mu));
        _sigma = Check.FiniteArray(sigma, nameof(sigma));
        Check.NotEmpty(_mu, nameof(mu));
        Check.SameLength(_mu, nameof(mu), _sigma, nameof(sigma));
        Check.Positive(_sigma, nameof(sigma));
    }

    /// <inheritdoc />
    public int Dimension => _mu.Length;

    /// <summary>Means of log θ.</summary>
    public IReadOnlyList<double> Mu => _mu;

    /// <summary>Standard deviations of log θ.</summary>
    public IReadOnlyList<double> Sigma => _sigma;

    /// <summary>(0, ∞) in every coordinate.</summary>
    public Support Support => new(new double[Dimension], Enumerable.Repeat(double.PositiveInfinity, Dimension).ToArray());

    /// <inheritdoc />
    public Tensor Sample(long n, Generator? generator = null)
    {
        PriorChecks.Count(n);
        using var scope = NewDisposeScope();
        var z = randn(new[] { n, Dimension }, generator: generator);
        return (Tensors.Row(_mu).Plus(z * Tensors.Row(_sigma))).exp().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor LogProb(Tensor theta)
    {
        PriorChecks.Theta(this, theta);
        using var scope = NewDisposeScope();
        var positive = (theta.Gt(0)).all(1);
        var logTheta = theta.ClampMin(1e-30).log();
        var z = (logTheta - Tensors.Row(_mu).to(theta.dtype)) / Tensors.Row(_sigma).to(theta.dtype);
        var constant = _sigma.Sum(Math.Log) + 0.5 * Dimension * Math.Log(2 * Math.PI);
        var value = (-logTheta.sum(1) - z.Square().sum(1).Mul(0.5)).Sub(constant);
        return value.MaskedFill(positive.logical_not(), double.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Score(Tensor theta)
    {
        PriorChecks.Theta(this, theta);
        using var scope = NewDisposeScope();
        var variance = Tensors.Row(_sigma).to(theta.dtype).Square();
        var logTheta = theta.log();
        return (theta.RDiv(-1) - (logTheta - Tensors.Row(_mu).to(theta.dtype)) / (variance * theta)).MoveToOuterDisposeScope();
    }
}
