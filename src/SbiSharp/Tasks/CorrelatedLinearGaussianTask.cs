using MathNet.Numerics.LinearAlgebra;
using SbiSharp.Internal;
using SbiSharp.Priors;
using SbiSharp.Simulators;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tasks;

/// <summary>
/// A high-dimensional task with an exact posterior: θ ~ N(0, Σ) with Σᵢⱼ = exp(−|i − j| / ℓ) (an Ornstein–Uhlenbeck
/// covariance on a 1-D grid of D points), x = A θ + σ ε with a fixed random design A (D × D, entries N(0, 1/D), drawn from
/// <see cref="DesignSeed"/>) and ε ~ N(0, I_D). The posterior is N(μ(x), Σ_post) with Σ_post = (Σ⁻¹ + AᵀA/σ²)⁻¹ and
/// μ(x) = Σ_post Aᵀ x / σ² (<see cref="ExactPosterior"/>).
/// </summary>
public sealed class CorrelatedLinearGaussianTask
{
    /// <summary>Task name.</summary>
    public const string Name = "correlated_linear_gaussian";

    /// <summary>Seed of the design matrix A: the same seed, the same task.</summary>
    public const int DesignSeed = 20261202;

    private readonly Matrix<double> _posteriorCovariance;
    private readonly Matrix<double> _meanOperator;

    /// <summary>Creates the task.</summary>
    /// <param name="dimension">D = Dθ = Dx (the review's claim is about D ≥ 50; default 64).</param>
    /// <param name="correlationLength">ℓ of the prior covariance, in grid points (default 8).</param>
    /// <param name="noise">σ, the observation noise's standard deviation (default 0.5).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension below 2, or a non-positive or non-finite ℓ or σ.</exception>
    public CorrelatedLinearGaussianTask(int dimension = 64, double correlationLength = 8, double noise = 0.5)
    {
        if (dimension < 2) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"`dimension` must be at least 2; got {dimension}.");
        Check.PositiveValue(correlationLength, nameof(correlationLength));
        Check.PositiveValue(noise, nameof(noise));
        Dimension = dimension;
        CorrelationLength = correlationLength;
        Noise = noise;
        var prior = Matrix<double>.Build.Dense(dimension, dimension, (i, j) => Math.Exp(-Math.Abs(i - j) / correlationLength));
        var random = new Random(DesignSeed);
        var designMatrix = Matrix<double>.Build.Dense(dimension, dimension, (_, _) => Normal(random) / Math.Sqrt(dimension));
        var precision = prior.Inverse() + designMatrix.TransposeThisAndMultiply(designMatrix) / (noise * noise);
        _posteriorCovariance = precision.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(dimension));
        _posteriorCovariance = (_posteriorCovariance + _posteriorCovariance.Transpose()) / 2;
        _meanOperator = _posteriorCovariance * designMatrix.Transpose() / (noise * noise);
        var design = tensor(designMatrix.ToRowMajorArray(), new long[] { dimension, dimension }, ScalarType.Float32);
        var designTransposed = design.t().contiguous();
        design.Dispose();
        Task = new SbiTask(Name, new GaussianPrior(new double[dimension], prior.ToArray()),
            new TensorSimulator(dimension, dimension, (theta, generator) =>
            {
                using var scope = NewDisposeScope();
                var clean = theta.dtype == designTransposed.dtype ? theta.matmul(designTransposed) : theta.matmul(designTransposed.to(theta.dtype));
                return clean.Plus(randn(clean.shape, dtype: clean.dtype, generator: generator).Mul(noise)).MoveToOuterDisposeScope();
            }),
            Enumerable.Range(1, dimension).Select(i => $"theta_{i}").ToArray());
    }

    /// <summary>D = Dθ = Dx.</summary>
    public int Dimension { get; }

    /// <summary>ℓ of the prior covariance.</summary>
    public double CorrelationLength { get; }

    /// <summary>σ of the observation noise.</summary>
    public double Noise { get; }

    /// <summary>The prior and simulator as an <see cref="SbiTask"/>.</summary>
    public SbiTask Task { get; }

    /// <summary>The exact posterior of <paramref name="x"/>: its mean (D) and covariance (D × D).</summary>
    /// <exception cref="ArgumentException">x is not of length D or not finite.</exception>
    public (double[] Mean, double[,] Covariance) ExactPosterior(double[] x)
    {
        Check.FiniteArray(x, nameof(x));
        if (x.Length != Dimension) throw new ArgumentException($"`x` must have length {Dimension}; got {x.Length}.", nameof(x));
        return ((_meanOperator * Vector<double>.Build.DenseOfArray(x)).ToArray(), _posteriorCovariance.ToArray());
    }

    /// <summary>Posterior standard deviations over prior standard deviations (1 each), per coordinate: how much the data contract the prior.</summary>
    public double[] Contraction() => _posteriorCovariance.Diagonal().Select(Math.Sqrt).ToArray();

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
