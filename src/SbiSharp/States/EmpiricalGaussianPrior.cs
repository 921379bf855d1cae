using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.States;

/// <summary>The best Gaussian answer: x ~ N(μ, C) with the mean and covariance of a set of states, and its exact posterior under linear-Gaussian
/// observations. The baseline a learned diffusion prior must beat (x the state, y the observation; states flattened row-major to D values).</summary>
public sealed class EmpiricalGaussianPrior : IDisposable
{
    private readonly Tensor _mean, _covariance;

    private EmpiricalGaussianPrior(Tensor mean, Tensor covariance) => (_mean, _covariance) = (mean, covariance);

    /// <summary>Fits μ and C to states (N, …) with N &gt; 1 (C gets <paramref name="jitter"/> · its mean variance on the diagonal, so it is positive
    /// definite also when N ≤ D).</summary>
    /// <exception cref="ArgumentException">Fewer than two states or non-finite values.</exception>
    public static EmpiricalGaussianPrior Fit(Tensor states, double jitter = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.dim() < 2 || states.shape[0] < 2)
            throw new ArgumentException($"`states` must be (N, …) with N ≥ 2; got {Internal.Check.Shape(states)}.", nameof(states));
        if (!(jitter >= 0) || !double.IsFinite(jitter)) throw new ArgumentOutOfRangeException(nameof(jitter), jitter, $"`jitter` must be ≥ 0; got {jitter}.");
        using var scope = NewDisposeScope();
        var flat = states.reshape(states.shape[0], -1).to(ScalarType.Float64);
        Internal.Check.Finite(flat, nameof(states));
        var mean = flat.mean(new long[] { 0 });
        var centred = flat - mean;
        var covariance = centred.T.matmul(centred).Div((double)(flat.shape[0] - 1));
        using var level = covariance.diagonal().mean();
        var jittered = covariance.Plus(eye(covariance.shape[0], dtype: ScalarType.Float64).Mul(jitter * level.item<double>()));
        return new EmpiricalGaussianPrior(mean.DetachFromDisposeScope(), jittered.DetachFromDisposeScope());
    }

    /// <summary>D.</summary>
    public int Dimension => (int)_mean.shape[0];

    /// <summary>μ, (D), float64 (a copy).</summary>
    public Tensor Mean() => _mean.clone();

    /// <summary>C, (D, D), float64 (a copy).</summary>
    public Tensor Covariance() => _covariance.clone();

    /// <summary>Draws (count, D), float64, from the prior.</summary>
    public Tensor Sample(int count, Generator? generator = null)
    {
        Internal.Check.PositiveValue(count, nameof(count));
        using var scope = NewDisposeScope();
        return Draw(_mean, _covariance, count, generator).MoveToOuterDisposeScope();
    }

    /// <summary>The exact posterior under <paramref name="observations"/>: mean (D) and covariance (D, D), float64.</summary>
    /// <exception cref="ArgumentException">Observations of states of another size.</exception>
    public (Tensor Mean, Tensor Covariance) Posterior(ObservationSet observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.InputDimension != Dimension)
            throw new ArgumentException($"`observations` are of states of length {observations.InputDimension}; this prior has {Dimension}.", nameof(observations));
        return GaussianConditioning.Condition(_mean, _covariance, observations);
    }

    /// <summary>Exact posterior draws (count, D), float64, by a Cholesky factor of the posterior covariance.</summary>
    public Tensor PosteriorSample(ObservationSet observations, int count, Generator? generator = null)
    {
        Internal.Check.PositiveValue(count, nameof(count));
        using var scope = NewDisposeScope();
        var (mean, covariance) = Posterior(observations);
        return Draw(mean, covariance, count, generator).MoveToOuterDisposeScope();
    }

    private static Tensor Draw(Tensor mean, Tensor covariance, int count, Generator? generator)
    {
        // Symmetrize and add a relative jitter of 1e-10 so that round-off cannot make the factorization fail.
        var symmetric = (covariance.Plus(covariance.T)).Mul(0.5);
        using var level = symmetric.diagonal().mean();
        var factor = linalg.cholesky(symmetric.Plus(eye(symmetric.shape[0], dtype: ScalarType.Float64).Mul(1e-10 * level.item<double>())));
        var white = randn(new long[] { count, mean.shape[0] }, dtype: ScalarType.Float64, generator: generator);
        return mean.unsqueeze(0).Plus(white.matmul(factor.T));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _mean.Dispose();
        _covariance.Dispose();
    }
}
