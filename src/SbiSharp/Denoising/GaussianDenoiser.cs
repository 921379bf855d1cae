using SbiSharp.Internal;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>The exact denoiser of a Gaussian N(μ, Σ) with full covariance; it ignores x.</summary>
/// <remarks>
/// For θ ~ N(μ, Σ) and θ_t = αθ + σε: E[θ | θ_t] = μ + αΣ(α²Σ + σ²I)⁻¹(θ_t − αμ) and Cov[θ | θ_t] = (Σ⁻¹ + (α²/σ²)I)⁻¹.
/// It is the prior denoiser of compositional inference for a Gaussian (or moment-matched) prior, and an oracle in tests.
/// </remarks>
public sealed class GaussianDenoiser : IDenoiser
{
    private readonly double[] _mean;
    private readonly double[,] _covariance;

    /// <summary>Creates the denoiser.</summary>
    /// <param name="schedule">Noise schedule.</param>
    /// <param name="mean">μ, length D.</param>
    /// <param name="covariance">Σ, (D, D), symmetric positive definite.</param>
    /// <exception cref="ArgumentException">Mismatched sizes, or Σ not symmetric positive definite.</exception>
    public GaussianDenoiser(INoiseSchedule schedule, double[] mean, double[,] covariance)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        if (mean.Length == 0) throw new ArgumentException("`mean` must have at least one entry.", nameof(mean));
        if (covariance.GetLength(0) != mean.Length || covariance.GetLength(1) != mean.Length)
            throw new ArgumentException($"`covariance` must be ({mean.Length}, {mean.Length}) to match `mean`; got ({covariance.GetLength(0)}, {covariance.GetLength(1)}).", nameof(covariance));
        using (var scope = NewDisposeScope())
        {
            var s = tensor(covariance, dtype: ScalarType.Float64);
            if (!s.allclose(s.T, 1e-9, 1e-12)) throw new ArgumentException("`covariance` must be symmetric.", nameof(covariance));
            if (linalg.eigvalsh(s).min().item<double>() <= 0) throw new ArgumentException("`covariance` must be positive definite.", nameof(covariance));
        }
        Schedule = schedule;
        _mean = (double[])mean.Clone();
        _covariance = (double[,])covariance.Clone();
    }

    /// <inheritdoc />
    public INoiseSchedule Schedule { get; }

    /// <inheritdoc />
    public int ParameterDimension => _mean.Length;

    /// <summary>μ.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Σ as a tensor (D, D), float64.</summary>
    public Tensor Covariance() => tensor(_covariance, dtype: ScalarType.Float64);

    /// <inheritdoc />
    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
    {
        Check.Matrix(thetaT, ParameterDimension, nameof(thetaT), "to match the Gaussian's dimension");
        using var scope = NewDisposeScope();
        var (alpha, sigma) = Schedule.Scales(logSnr.to(ScalarType.Float64));
        var a = alpha.unsqueeze(2);
        var s = Covariance().to(thetaT.device).unsqueeze(0);
        var mu = tensor(_mean, dtype: ScalarType.Float64, device: thetaT.device).unsqueeze(0);
        var identity = TorchSharp.torch.eye(ParameterDimension, dtype: ScalarType.Float64, device: thetaT.device).unsqueeze(0);
        var system = (a.Square() * s).Plus(sigma.Square().unsqueeze(2) * identity);
        var residual = (thetaT.to(ScalarType.Float64) - alpha * mu).unsqueeze(2);
        var gain = linalg.solve(system, residual);
        var result = mu.Plus((a * s).matmul(gain).squeeze(2));
        return result.to(thetaT.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The denoising covariance Cov[θ | θ_t] = (Σ⁻¹ + (α²/σ²)I)⁻¹ for each row's λ, (B, D, D), float64.</summary>
    public Tensor DenoisingCovariance(Tensor logSnr)
    {
        using var scope = NewDisposeScope();
        var (alpha, sigma) = Schedule.Scales(logSnr.to(ScalarType.Float64));
        var identity = TorchSharp.torch.eye(ParameterDimension, dtype: ScalarType.Float64, device: logSnr.device).unsqueeze(0);
        var precision = linalg.inv(Covariance().to(logSnr.device)).unsqueeze(0).Plus((alpha.Square() / sigma.Square()).unsqueeze(2) * identity);
        return linalg.inv(precision).MoveToOuterDisposeScope();
    }
}
