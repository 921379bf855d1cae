using SbiSharp.Internal;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Priors;

/// <summary>Multivariate Gaussian prior N(μ, Σ) with a full covariance matrix.</summary>
/// <remarks>With Σ = L Lᵀ (Cholesky): samples μ + L z; log p(θ) = −½‖L⁻¹(θ − μ)‖² − Σ log Lᵢᵢ − (D/2) log 2π; score −Σ⁻¹(θ − μ).</remarks>
public sealed class GaussianPrior : IScoredPrior
{
    private readonly double[] _mean;
    private readonly double[,] _cholesky;
    private readonly double[,] _choleskyInverse;
    private readonly double _logDetHalf;

    /// <summary>Creates N(<paramref name="mean"/>, <paramref name="covariance"/>).</summary>
    /// <param name="mean">Mean μ, length D.</param>
    /// <param name="covariance">Symmetric positive-definite D×D covariance Σ.</param>
    /// <exception cref="ArgumentException">Shapes disagree, Σ is not symmetric, or Σ is not positive definite.</exception>
    public GaussianPrior(double[] mean, double[,] covariance)
    {
        _mean = Check.FiniteArray(mean, nameof(mean));
        Check.NotEmpty(_mean, nameof(mean));
        ArgumentNullException.ThrowIfNull(covariance);
        int d = _mean.Length;
        if (covariance.GetLength(0) != d || covariance.GetLength(1) != d)
            throw new ArgumentException($"`covariance` must have shape ({d}, {d}) to match `mean`; got ({covariance.GetLength(0)}, {covariance.GetLength(1)}).", nameof(covariance));
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++)
                if (Math.Abs(covariance[i, j] - covariance[j, i]) > 1e-9 * (1 + Math.Abs(covariance[i, j])))
                    throw new ArgumentException($"`covariance` must be symmetric; got [{i},{j}] = {covariance[i, j]} but [{j},{i}] = {covariance[j, i]}.", nameof(covariance));
        _cholesky = DenseMath.Cholesky(covariance, nameof(covariance));
        _choleskyInverse = DenseMath.InvertLowerTriangular(_cholesky);
        _logDetHalf = Enumerable.Range(0, d).Sum(i => Math.Log(_cholesky[i, i]));
    }

    /// <summary>Creates N(μ, P⁻¹) from a precision matrix P.</summary>
    /// <exception cref="ArgumentException">P is not symmetric positive definite.</exception>
    public static GaussianPrior FromPrecision(double[] mean, double[,] precision) =>
        new(mean, DenseMath.InverseSpd(precision, nameof(precision)));

    /// <inheritdoc />
    public int Dimension => _mean.Length;

    /// <summary>Mean μ.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Covariance Σ (a copy).</summary>
    public double[,] Covariance => DenseMath.MultiplyTransposed(_cholesky);

    /// <inheritdoc />
    public Tensor Sample(long n, Generator? generator = null)
    {
        PriorChecks.Count(n);
        using var scope = NewDisposeScope();
        var z = randn(new[] { n, Dimension }, generator: generator);
        var l = Tensors.FromMatrix(_cholesky);
        return (Tensors.Row(_mean).Plus(z.matmul(l.t()))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor LogProb(Tensor theta)
    {
        PriorChecks.Theta(this, theta);
        using var scope = NewDisposeScope();
        var centered = theta - Tensors.Row(_mean).to(theta.dtype);
        var y = centered.matmul(Tensors.FromMatrix(_choleskyInverse).to(theta.dtype).t());
        var constant = _logDetHalf + 0.5 * Dimension * Math.Log(2 * Math.PI);
        return (y.Square().sum(1).Mul(-0.5).Sub(constant)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Score(Tensor theta)
    {
        PriorChecks.Theta(this, theta);
        using var scope = NewDisposeScope();
        var inverse = Tensors.FromMatrix(_choleskyInverse).to(theta.dtype);
        var precision = inverse.t().matmul(inverse);
        var centered = theta - Tensors.Row(_mean).to(theta.dtype);
        return (-centered.matmul(precision)).MoveToOuterDisposeScope();
    }
}
