using SbiSharp.Denoising;
using SbiSharp.Internal;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Composition;

/// <summary>The denoiser of p(θ | x₁, …, x_N) for N conditionally independent observations, composed from a single-observation denoiser and a prior denoiser.</summary>
/// <remarks>
/// Since p(θ | x_{1:N}) ∝ p(θ)^{1−N} Πᵢ p(θ | xᵢ), Gaussian denoising posteriors N(θ̂ᵢ, Cᵢ) and N(θ̂₀, C₀) combine exactly into
/// θ̂ = Λ⁻¹(Σᵢ Cᵢ⁻¹θ̂ᵢ + (1 − N)C₀⁻¹θ̂₀), Λ = Σᵢ Cᵢ⁻¹ + (1 − N)C₀⁻¹, which is Linhart et al.'s score rule
/// (arXiv:2404.07593) written for the denoised mean. <see cref="CompositionMethod"/> picks Cᵢ; the sum rule takes all C equal.
/// The denoiser ignores its x argument (the observations are held here) and processes observations in chunks of
/// <see cref="CompositionOptions.MaxRows"/> rows. Work is in the model's standardized units.
/// </remarks>
public sealed class CompositionalDenoiser : IDenoiser, IDisposable
{
    private readonly IDenoiser _conditional;
    private readonly IDenoiser _prior;
    private readonly Tensor _observations;
    private readonly Tensor? _posteriorPrecisions;
    private readonly Tensor? _priorPrecision;
    private readonly Tensor? _likelihoodPrecisionSum;

    /// <summary>Creates the composed denoiser.</summary>
    /// <param name="conditional">Single-observation denoiser.</param>
    /// <param name="observations">x₁..x_N in the conditional denoiser's units, (N, Dx); copied.</param>
    /// <param name="prior">Denoiser of the prior alone (the network's unconditional mode, or a <see cref="GaussianDenoiser"/>).</param>
    /// <param name="options">Method and chunking.</param>
    /// <param name="posteriorCovariances">For GAUSS: covariance of each single-observation posterior, (N, Dθ, Dθ).</param>
    /// <param name="priorCovariance">For GAUSS: the prior's covariance (Dθ, Dθ); taken from <paramref name="prior"/> when it is a <see cref="GaussianDenoiser"/>.</param>
    /// <exception cref="ArgumentException">Mismatched dimensions or missing covariances.</exception>
    public CompositionalDenoiser(IDenoiser conditional, Tensor observations, IDenoiser prior, CompositionOptions? options = null,
        Tensor? posteriorCovariances = null, Tensor? priorCovariance = null)
    {
        ArgumentNullException.ThrowIfNull(conditional);
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(prior);
        Options = (options ?? CompositionOptions.Default).Validate();
        if (observations.dim() != 2 || observations.shape[0] < 1)
            throw new ArgumentException($"`observations` must have shape (N, Dx) with N ≥ 1; got {Check.Shape(observations)}.", nameof(observations));
        if (prior.ParameterDimension != conditional.ParameterDimension)
            throw new ArgumentException($"`prior` has Dθ = {prior.ParameterDimension}; the conditional denoiser has {conditional.ParameterDimension}.", nameof(prior));
        _conditional = conditional;
        _prior = prior;
        _observations = observations.detach().clone().DetachFromDisposeScope();
        var d = conditional.ParameterDimension;
        if (Options.Method == CompositionMethod.Gauss)
        {
            if (posteriorCovariances is null || !posteriorCovariances.shape.SequenceEqual(new[] { observations.shape[0], d, d }))
                throw new ArgumentException($"GAUSS needs `posteriorCovariances` of shape ({observations.shape[0]}, {d}, {d}); got {(posteriorCovariances is null ? "null" : Check.Shape(posteriorCovariances))}.", nameof(posteriorCovariances));
            using var scope = NewDisposeScope();
            var priorCov = priorCovariance ?? (prior as GaussianDenoiser)?.Covariance()
                ?? throw new ArgumentException("GAUSS needs `priorCovariance` (Dθ, Dθ) unless the prior is a GaussianDenoiser.", nameof(priorCovariance));
            if (!priorCov.shape.SequenceEqual(new long[] { d, d }))
                throw new ArgumentException($"`priorCovariance` must have shape ({d}, {d}); got {Check.Shape(priorCov)}.", nameof(priorCovariance));
            // GAUSS's likelihood precisions Σᵢ⁻¹ − Σ₀⁻¹ do not depend on t: clip and keep them once.
            var priorPrecision = linalg.inv(priorCov.to(ScalarType.Float64));
            var likelihood = AtLeastPrior(linalg.inv(posteriorCovariances.to(ScalarType.Float64)), priorPrecision) - priorPrecision.unsqueeze(0);
            _posteriorPrecisions = likelihood.MoveToOuterDisposeScope().DetachFromDisposeScope();
            _likelihoodPrecisionSum = likelihood.sum(new long[] { 0 }).MoveToOuterDisposeScope().DetachFromDisposeScope();
            _priorPrecision = priorPrecision.MoveToOuterDisposeScope().DetachFromDisposeScope();
        }
    }

    /// <summary>The options.</summary>
    public CompositionOptions Options { get; }

    /// <summary>N.</summary>
    public long ObservationCount => _observations.shape[0];

    /// <inheritdoc />
    public INoiseSchedule Schedule => _conditional.Schedule;

    /// <inheritdoc />
    public int ParameterDimension => _conditional.ParameterDimension;

    /// <inheritdoc />
    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
    {
        Check.Matrix(thetaT, ParameterDimension, nameof(thetaT), "to match the denoiser");
        using var scope = NewDisposeScope();
        long b = thetaT.shape[0], n = ObservationCount;
        int d = ParameterDimension;
        var f64 = ScalarType.Float64;
        var (alpha, sigma) = Schedule.Scales(logSnr.to(f64));
        var snr = (alpha.Square() / sigma.Square()).unsqueeze(2);
        var identity = eye(d, dtype: f64, device: thetaT.device).unsqueeze(0);
        var sumMean = zeros(new[] { b, (long)d }, dtype: f64, device: thetaT.device);
        var sumPrecision = zeros(new[] { b, (long)d, (long)d }, dtype: f64, device: thetaT.device);
        var sumLikelihoodMean = zeros(new[] { b, (long)d }, dtype: f64, device: thetaT.device);
        Tensor? priorMean = null, priorPrecision = null;
        if (Options.Method != CompositionMethod.Sum) (priorMean, priorPrecision) = PriorMoments(thetaT, logSnr, x, snr, identity);
        long chunk = Math.Max(1, Options.MaxRows / Math.Max(1, b));
        for (long start = 0; start < n; start += chunk)
        {
            using var inner = NewDisposeScope();
            var count = Math.Min(chunk, n - start);
            var theta = thetaT.repeat(count, 1);
            var lambda = logSnr.repeat(count, 1);
            var obs = _observations.narrow(0, start, count).to(thetaT.device).repeat_interleave(b, 0);
            Tensor mean, precision;
            switch (Options.Method)
            {
                case CompositionMethod.Sum:
                    mean = _conditional.Denoise(theta, lambda, obs).to(f64).view(count, b, d);
                    sumMean.AddInPlace(mean.sum(new long[] { 0 }));
                    continue;
                case CompositionMethod.Gauss:
                    // Pᵢ = P₀(t) + Lᵢ with constant Lᵢ: accumulate Σ θ̂ᵢ (in sumMean) and Σ Lᵢ θ̂ᵢ separately.
                    mean = _conditional.Denoise(theta, lambda, obs).to(f64).view(count, b, d, 1);
                    sumMean.AddInPlace(mean.squeeze(3).sum(new long[] { 0 }));
                    sumLikelihoodMean.AddInPlace(_posteriorPrecisions!.narrow(0, start, count).to(thetaT.device).unsqueeze(1).matmul(mean).squeeze(3).sum(new long[] { 0 }));
                    continue;
                default:
                    var (m, c) = DenoiserJacobian.Covariance(_conditional, theta, lambda, obs);
                    mean = m.to(f64).view(count, b, d, 1);
                    precision = linalg.inv(c.to(f64).Plus(identity.Mul(1e-9))).view(count, b, d, d);
                    break;
            }
            precision = AtLeastPrior(precision.view(count, b, d, d), priorPrecision!);
            sumPrecision.AddInPlace(precision.sum(new long[] { 0 }));
            sumMean.AddInPlace(precision.matmul(mean).squeeze(3).sum(new long[] { 0 }));
        }
        var theta64 = thetaT.to(f64);
        Tensor result;
        if (Options.Method == CompositionMethod.Sum)
        {
            var priorDenoised = _prior.Denoise(thetaT, logSnr, x).to(f64);
            var weight = Options.DampPriorScore ? alpha.Square() / (alpha.Square().Plus(sigma.Square())) : ones_like(alpha);
            // Scores sᵢ = (αθ̂ᵢ − θ_t)/σ², summed with (1 − N)·w·s₀, then mapped back to a denoised mean.
            var score = ((alpha * sumMean - theta64.Mul(n)) / sigma.Square()).Plus(weight.Mul((1 - n)) * (alpha * priorDenoised - theta64) / sigma.Square());
            result = ((sigma.Square() * score).Plus(theta64)) / alpha;
        }
        else
        {
            Tensor total, rhs;
            if (Options.Method == CompositionMethod.Gauss)
            {
                // Λ = P₀ + Σ Lᵢ; Λθ̂ = P₀ Σ θ̂ᵢ + Σ Lᵢ θ̂ᵢ + (1 − N) P₀ θ̂₀.
                total = (priorPrecision!).Plus(_likelihoodPrecisionSum!.to(thetaT.device).unsqueeze(0));
                rhs = priorPrecision!.matmul((sumMean.Plus((priorMean!).Mul((1 - n)))).unsqueeze(2)).squeeze(2).Plus(sumLikelihoodMean);
            }
            else
            {
                total = sumPrecision.Plus((priorPrecision!).Mul((1 - n)));
                rhs = sumMean.Plus(priorPrecision!.matmul(priorMean!.unsqueeze(2)).squeeze(2).Mul((1 - n)));
            }
            result = linalg.solve(total, rhs.unsqueeze(2)).squeeze(2);
        }
        return result.to(thetaT.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The prior's denoised mean (B, D) and denoising precision (B, D, D), float64.</summary>
    private (Tensor Mean, Tensor Precision) PriorMoments(Tensor thetaT, Tensor logSnr, Tensor x, Tensor snr, Tensor identity)
    {
        using var scope = NewDisposeScope();
        Tensor mean, precision;
        if (Options.Method == CompositionMethod.Gauss)
        {
            mean = _prior.Denoise(thetaT, logSnr, x).to(ScalarType.Float64);
            precision = _priorPrecision!.to(thetaT.device).unsqueeze(0).Plus(snr * identity);
        }
        else if (_prior is GaussianDenoiser gaussian)
        {
            mean = gaussian.Denoise(thetaT, logSnr, x).to(ScalarType.Float64);
            precision = linalg.inv(gaussian.DenoisingCovariance(logSnr).to(thetaT.device));
        }
        else
        {
            var (m0, c0) = DenoiserJacobian.Covariance(_prior, thetaT, logSnr, x);
            mean = m0.to(ScalarType.Float64);
            precision = linalg.inv(c0.to(ScalarType.Float64).Plus(identity.Mul(1e-9)));
        }
        return (mean.MoveToOuterDisposeScope(), precision.MoveToOuterDisposeScope());
    }

    /// <summary>Each observation's precision as P₀ + (Pᵢ − P₀)₊: an observation cannot make θ less certain than the prior, so negative eigenvalues of the likelihood part (estimation noise) are clipped; this keeps Λ ⪰ P₀ positive definite.</summary>
    private static Tensor AtLeastPrior(Tensor precision, Tensor priorPrecision)
    {
        using var scope = NewDisposeScope();
        var prior = priorPrecision.unsqueeze(0);
        var likelihood = precision - prior;
        likelihood = (likelihood.Plus(likelihood.transpose(-1, -2))).Mul(0.5);
        return (prior.Plus(Tensors.ClipEigenvalues(likelihood))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _observations.Dispose();
        _posteriorPrecisions?.Dispose();
        _likelihoodPrecisionSum?.Dispose();
        _priorPrecision?.Dispose();
    }
}
