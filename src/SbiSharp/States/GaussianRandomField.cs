using SbiSharp.Denoising;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;
using TorchSharp;

namespace SbiSharp.States;

/// <summary>A stationary periodic Gaussian random field on an H×W grid, x ~ N(0, C) with C diagonal in Fourier space: the exact oracle of the states half.</summary>
/// <remarks>
/// Matérn-type spectrum P(k) ∝ (1 + (2πℓ|k|)²)^(−(ν + 1)), |k| in cycles per pixel, ℓ the length scale in pixels, ν the smoothness, scaled so that every pixel
/// has variance 1 (mean P = 1): the marginal variance the samplers' initial noise assumes. Its denoiser is exact and diagonal in Fourier space
/// (<see cref="Denoiser"/>), and under any linear-Gaussian observation its posterior is Gaussian with the mean and covariance of <see cref="Posterior"/>.
/// States are flattened row-major to (B, H·W).
/// </remarks>
public sealed class GaussianRandomField
{
    private readonly Tensor _spectrum;

    /// <summary>Creates the field.</summary>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="lengthScale">ℓ &gt; 0, pixels.</param>
    /// <param name="smoothness">ν &gt; 0.</param>
    public GaussianRandomField(int height, int width, double lengthScale = 3, double smoothness = 1)
    {
        OperatorChecks.Grid(height, width);
        if (!(lengthScale > 0) || !double.IsFinite(lengthScale)) throw new ArgumentOutOfRangeException(nameof(lengthScale), lengthScale, $"`lengthScale` must be a positive number of pixels; got {lengthScale}.");
        if (!(smoothness > 0) || !double.IsFinite(smoothness)) throw new ArgumentOutOfRangeException(nameof(smoothness), smoothness, $"`smoothness` must be positive; got {smoothness}.");
        (Height, Width, LengthScale, Smoothness) = (height, width, lengthScale, smoothness);
        using var scope = NewDisposeScope();
        var half = Spectrum(PeriodicGrid.SquaredFrequency(height, width));
        var full = Spectrum(PeriodicGrid.SquaredFrequency(height, width, half: false));
        using var mean = full.mean();
        _spectrum = (half / mean).DetachFromDisposeScope();
    }

    private Tensor Spectrum(Tensor squaredFrequency)
    {
        var scale = Math.Pow(2 * Math.PI * LengthScale, 2);
        return squaredFrequency.Mul(scale).Add(1.0).Pow(-(Smoothness + 1));
    }

    /// <summary>H.</summary>
    public int Height { get; }

    /// <summary>W.</summary>
    public int Width { get; }

    /// <summary>D = H·W.</summary>
    public int Dimension => Height * Width;

    /// <summary>ℓ, pixels.</summary>
    public double LengthScale { get; }

    /// <summary>ν.</summary>
    public double Smoothness { get; }

    /// <summary>P on rfft2's half spectrum, (H, W/2 + 1), float64 (mean over the full spectrum 1).</summary>
    public Tensor PowerSpectrum() => _spectrum.clone();

    /// <summary>Draws <paramref name="count"/> fields, (count, H·W).</summary>
    public Tensor Sample(int count, Generator? generator = null, ScalarType dtype = ScalarType.Float32)
    {
        SbiSharp.Internal.Check.PositiveValue(count, nameof(count));
        using var scope = NewDisposeScope();
        var white = randn(new long[] { count, Dimension }, dtype: ScalarType.Float64, generator: generator);
        return PeriodicGrid.Filter(white, _spectrum.sqrt(), Height, Width).to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The exact denoiser E[x | x_t] of this prior under <paramref name="schedule"/>.</summary>
    public IDenoiser Denoiser(INoiseSchedule schedule) => new GaussianRandomFieldDenoiser(this, schedule);

    /// <summary>The prior covariance C, (D, D), float64: C_ij = c(r_i − r_j) with c the inverse DFT of P.</summary>
    public Tensor Covariance()
    {
        using var scope = NewDisposeScope();
        var autocovariance = fft.irfft2(_spectrum.to(ScalarType.ComplexFloat64), s: new long[] { Height, Width });
        var rows = GridIndices(Height, Width);
        var dy = (rows.Y.unsqueeze(1) - rows.Y.unsqueeze(0)).Remainder(Height);
        var dx = (rows.X.unsqueeze(1) - rows.X.unsqueeze(0)).Remainder(Width);
        var flat = autocovariance.reshape(Dimension);
        return flat.index_select(0, (dy.Mul(Width).Plus(dx)).reshape(-1)).reshape(Dimension, Dimension).MoveToOuterDisposeScope();
    }

    /// <summary>The exact posterior of x given <paramref name="observations"/>: mean (D) and covariance (D, D), float64, by dense linear algebra
    /// (C − CAᵀ(ACAᵀ + Σ_y)⁻¹AC); for fields up to a few thousand pixels.</summary>
    /// <exception cref="ArgumentException">Observations of states of another size.</exception>
    public (Tensor Mean, Tensor Covariance) Posterior(ObservationSet observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.InputDimension != Dimension)
            throw new ArgumentException($"`observations` are of states of length {observations.InputDimension}; this field has {Dimension} pixels.", nameof(observations));
        using var c = Covariance();
        return GaussianConditioning.Condition(null, c, observations);
    }

    /// <summary>Exact posterior draws by Matheron's rule, (count, D), float64: x = x₀ + C Aᵀ (A C Aᵀ + Σ_y)⁻¹ (y − A x₀ − η) with x₀ a prior draw and
    /// η ~ N(0, Σ_y); C applied in Fourier space and the system solved by conjugate gradients, so no D × D matrix is formed (any grid size).</summary>
    /// <param name="observations">y and A.</param>
    /// <param name="count">Number of draws.</param>
    /// <param name="generator">Random numbers.</param>
    /// <param name="tolerance">CG stops once every row's residual is below this fraction of its right-hand side.</param>
    /// <param name="maxIterations">CG's iteration cap.</param>
    /// <exception cref="ArgumentException">Observations of states of another size.</exception>
    public Tensor PosteriorSample(ObservationSet observations, int count, Generator? generator = null, double tolerance = 1e-10, int maxIterations = 1000)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.InputDimension != Dimension)
            throw new ArgumentException($"`observations` are of states of length {observations.InputDimension}; this field has {Dimension} pixels.", nameof(observations));
        SbiSharp.Internal.Check.PositiveValue(count, nameof(count));
        using var scope = NewDisposeScope();
        var prior = Sample(count, generator, ScalarType.Float64);
        var variance = observations.NoiseVariances(ScalarType.Float64);
        var noise = randn(new long[] { count, observations.OutputDimension }, dtype: ScalarType.Float64, generator: generator) * variance.sqrt();
        var residual = observations.Values(ScalarType.Float64) - observations.Apply(prior) - noise;
        Tensor Covariance(Tensor v) => PeriodicGrid.Filter(v, _spectrum, Height, Width);
        var u = ConjugateGradient.Solve(v => observations.Apply(Covariance(observations.Transpose(v))).Plus(v * variance), residual, maxIterations, tolerance);
        return prior.Plus(Covariance(observations.Transpose(u))).MoveToOuterDisposeScope();
    }

    /// <summary>Row and column of every pixel, row-major, (D) each.</summary>
    private static (Tensor Y, Tensor X) GridIndices(int height, int width)
    {
        var all = ScalarMath.Arange(height * width, dtype: ScalarType.Int64);
        using var w = ((long)width).ToScalar();
        return (all.div(w, rounding_mode: RoundingMode.floor), all.Remainder((long)width));
    }
}
