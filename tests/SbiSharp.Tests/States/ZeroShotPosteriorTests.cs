using SbiSharp.Denoising;
using SbiSharp.Noise;
using SbiSharp.Sampling;
using SbiSharp.States;
using SbiSharp.Torch;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SbiSharp.Tests.States;

/// <summary>Zero-shot posterior sampling against the exact oracle: a periodic Gaussian random field prior, its exact denoiser, and the exact Gaussian posterior under
/// mask, blur, coarse-graining and combined observations (the states half: x the state, y the observation).</summary>
public class ZeroShotPosteriorTests(ITestOutputHelper output)
{
    private const int Draws = 2_000;

    /// <summary>Every operator kind, on a 6×8 grid: the contract tests enumerate this list.</summary>
    public static TheoryData<string> OperatorNames => new() { "mask", "blur", "pool", "dense", "stack" };

    private static ILinearOperator Operator(string name, int h = 6, int w = 8) => name switch
    {
        "mask" => PixelMask.Random(h * w, 0.3, seed: 1),
        "blur" => new PeriodicBlur(h, w, 1.5),
        "pool" => new AveragePooling(h, w, 2),
        "dense" => new DenseOperator(RandomMatrix(5, h * w, 3)),
        "stack" => new ObservationSet(Observe(PixelMask.Random(h * w, 0.2, 2)), Observe(new AveragePooling(h, w, 2))),
        _ => throw new ArgumentException(name),
    };

    private static LinearGaussianObservation Observe(ILinearOperator op) => new(op, new double[op.OutputDimension], 0.1);

    private static double[,] RandomMatrix(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) m[i, j] = random.NextDouble() - 0.5;
        return m;
    }

    [Theory]
    [MemberData(nameof(OperatorNames))]
    public void Operator_TransposeIsTheAdjoint(string name)
    {
        var op = Operator(name);
        using var generator = new Generator(4);
        using var x = randn(new long[] { 3, op.InputDimension }, dtype: ScalarType.Float64, generator: generator);
        using var y = randn(new long[] { 3, op.OutputDimension }, dtype: ScalarType.Float64, generator: generator);
        using var ax = op.Apply(x);
        using var aty = op.Transpose(y);
        using var left = (ax * y).sum(1);
        using var right = (x * aty).sum(1);
        Assert.True(left.allclose(right, 1e-9, 1e-9), $"{op.Name}: ⟨Ax, y⟩ = {left.data<double>()[0]} but ⟨x, Aᵀy⟩ = {right.data<double>()[0]}");
    }

    [Fact]
    public void RandomField_DrawsHaveTheStatedCovariance_AndItsDenoiserIsTheDenseGaussianOne()
    {
        var field = new GaussianRandomField(6, 8, lengthScale: 1.5);
        using var c = field.Covariance();
        Assert.True(c.diagonal().allclose(ones(48, dtype: ScalarType.Float64), 1e-9, 1e-9), "every pixel has variance 1");
        using var generator = new Generator(7);
        using var draws = field.Sample(40_000, generator, ScalarType.Float64);
        using var empirical = draws.T.matmul(draws).Div(40_000.0);
        using var gap = (empirical - c).abs().max();
        Assert.True(gap.item<double>() < 0.05, $"sample covariance off by {gap.item<double>():F3} (Monte Carlo sd ≈ 0.007)");

        var schedule = new EdmSchedule();
        var cArray = new double[48, 48];
        var flat = c.data<double>().ToArray();
        for (int i = 0; i < 48; i++) for (int j = 0; j < 48; j++) cArray[i, j] = flat[i * 48 + j];
        var dense = new GaussianDenoiser(schedule, new double[48], cArray);
        using var xt = randn(new long[] { 5, 48 }, dtype: ScalarType.Float64, generator: generator).Mul(2.0);
        using var logSnr = tensor(new[] { -4.0, -1, 0, 2, 6 }, dtype: ScalarType.Float64).unsqueeze(1);
        using var none = zeros(5, 0, dtype: ScalarType.Float64);
        using var a = field.Denoiser(schedule).Denoise(xt, logSnr, none);
        using var b = dense.Denoise(xt, logSnr, none);
        Assert.True(a.allclose(b, 1e-8, 1e-8));
    }

    public static TheoryData<string, int> Cases => new()
    {
        { "mask", 16 }, { "blur", 16 }, { "pool", 16 }, { "mask+pool", 16 },
    };

    /// <summary>MMPS with enough conjugate-gradient iterations draws the exact posterior: per-pixel mean and variance within Monte-Carlo error.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Mmps_ExactDenoiser_ReproducesTheExactPosterior(string observation, int size)
    {
        var (field, observations, _) = Problem(observation, size);
        var (meanZ, varianceZ) = Errors(new MmpsDenoiser(field.Denoiser(new EdmSchedule()), observations, cgIterations: 4 * observations.OutputDimension, cgTolerance: 1e-9), field, observations);
        output.WriteLine($"MMPS {observation} {size}×{size}: rms mean z {meanZ:F2}, rms variance z {varianceZ:F2}");
        // rms z ≈ 1 for exact draws (each z is a pixel's error over its Monte-Carlo sd; 2,000 draws).
        Assert.InRange(meanZ, 0, 1.5);
        Assert.InRange(varianceZ, 0, 1.5);
    }

    /// <summary>On a 32×32 field the low-frequency modes have prior sd ≈ 18.6 (C's largest eigenvalue ≈ 345), comparable to σ_max = 80: at t = 1 the
    /// posterior marginal along such a mode still has mean α₁·μ_post, which the N(0, I) start ignores, leaving a mean bias of about μ_post/σ_max posterior sds.
    /// With σ_max = 800 (the exact denoiser works at any noise level) MMPS is exact again (measured: rms mean z 1.76 at σ_max = 80, 1.02 at 800). Slow: about
    /// five minutes on 2 cores.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Mmps_ExactDenoiser_32x32_IsExactOnceSigmaMaxDominatesThePriorScale()
    {
        var (field, observations, _) = Problem("mask", 32);
        (double Mean, double Variance) Run(double sigmaMax) =>
            Errors(new MmpsDenoiser(field.Denoiser(new EdmSchedule(new EdmScheduleOptions { SigmaMax = sigmaMax })), observations, cgIterations: 200, cgTolerance: 1e-9), field, observations);
        var narrow = Run(80);
        var wide = Run(800);
        output.WriteLine($"MMPS mask 32×32: σ_max = 80: rms mean z {narrow.Mean:F2}, variance z {narrow.Variance:F2}; σ_max = 800: {wide.Mean:F2}, {wide.Variance:F2}");
        Assert.InRange(wide.Mean, 0, 1.5);
        Assert.InRange(wide.Variance, 0, 1.5);
        Assert.True(narrow.Mean > wide.Mean + 0.3, $"the σ_max = 80 bias should show: rms mean z {narrow.Mean:F2} vs {wide.Mean:F2}");
    }

    /// <summary>Matheron's rule (prior draw + C Aᵀ(A C Aᵀ + Σ_y)⁻¹(y − A x₀ − η), by CG) gives exact posterior draws: rms z ≈ 1 against the dense posterior.</summary>
    [Theory]
    [InlineData("mask+pool", 16)]
    [InlineData("blur", 16)]
    public void MatheronDraws_AreExactPosteriorDraws(string observation, int size)
    {
        var (field, observations, _) = Problem(observation, size);
        using var generator = new Generator(8);
        using var draws = field.PosteriorSample(observations, Draws, generator);
        Assert.Equal(new long[] { Draws, size * size }, draws.shape);
        var (mean, variance) = DrawErrors(draws, field, observations);
        output.WriteLine($"Matheron {observation} {size}×{size}: rms mean z {mean:F2}, rms variance z {variance:F2}");
        Assert.InRange(mean, 0.8, 1.25);
        Assert.InRange(variance, 0.8, 1.25);
    }

    /// <summary>DPS (plug-in likelihood) is not exact; its error is measured against MMPS's on the same problem. At step size 1 it diverges (the plug-in
    /// likelihood's score grows like σ_t²/σ_y² at high noise; measured rms z ≈ 10²⁶), so it is run at 10⁻³.</summary>
    [Fact]
    public void DpsAndFewCgIterations_AreFurtherFromTheExactPosteriorThanConvergedMmps()
    {
        var (field, observations, _) = Problem("mask", 16);
        var prior = field.Denoiser(new EdmSchedule());
        var mmps = Errors(new MmpsDenoiser(prior, observations, cgIterations: 4 * observations.OutputDimension, cgTolerance: 1e-9), field, observations);
        var dps = Errors(new DpsDenoiser(prior, observations, stepSize: 1e-3), field, observations);
        var few = new[] { 1, 3, 10 }.Select(k => Errors(new MmpsDenoiser(prior, observations, cgIterations: k), field, observations)).ToArray();
        output.WriteLine($"rms z (mean, variance): MMPS to convergence {mmps.Mean:F2}, {mmps.Variance:F2}; " +
            $"MMPS CG-1 {few[0].Mean:F2}, {few[0].Variance:F2}; CG-3 {few[1].Mean:F2}, {few[1].Variance:F2}; CG-10 {few[2].Mean:F2}, {few[2].Variance:F2}; DPS ζ = 10⁻³ {dps.Mean:F2}, {dps.Variance:F2}");
        Assert.True(few[2].Mean + few[2].Variance < few[0].Mean + few[0].Variance, "10 CG iterations should be closer to the exact posterior than 1");
        Assert.True(dps.Mean + dps.Variance > 3 * (mmps.Mean + mmps.Variance), "DPS should be measurably off the exact posterior");
    }

    [Fact]
    public void BadInput_IsRefusedByName()
    {
        Assert.Contains("`indices` must lie in [0, 10)", Assert.Throws<ArgumentException>(() => new PixelMask(10, new[] { 3, 10 })).Message);
        Assert.Contains("`indices` must be distinct", Assert.Throws<ArgumentException>(() => new PixelMask(10, new[] { 3, 3 })).Message);
        Assert.Contains("`factor` = 3 must divide", Assert.Throws<ArgumentException>(() => new AveragePooling(8, 8, 3)).Message);
        var mask = new PixelMask(64, new[] { 1, 2 });
        Assert.Contains("`y` must have one value per output of 'mask-2' (2); got 3", Assert.Throws<ArgumentException>(() => new LinearGaussianObservation(mask, new double[3], 0.1)).Message);
        Assert.Contains("noiseVariances", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearGaussianObservation(mask, new double[2], new[] { 0.1, 0 })).Message);
        Assert.Contains("`y[1]` must be finite; got NaN", Assert.Throws<ArgumentException>(() => new LinearGaussianObservation(mask, new[] { 0, double.NaN }, 0.1)).Message);
        var other = new ObservationSet(new LinearGaussianObservation(new PixelMask(100, new[] { 1 }), new double[1], 0.1));
        var prior = new GaussianRandomField(8, 8).Denoiser(new EdmSchedule());
        Assert.Contains("states of length 100; the prior's states have 64", Assert.Throws<ArgumentException>(() => new MmpsDenoiser(prior, other)).Message);
        var grf = new GaussianRandomField(8, 8);
        Assert.Contains("`observations` are of states of length 100; this field has 64 pixels", Assert.Throws<ArgumentException>(() => grf.PosteriorSample(other, 10)).Message);
        var fitting = new ObservationSet(new LinearGaussianObservation(new PixelMask(64, new[] { 1 }), new double[1], 0.1));
        Assert.Contains("count", Assert.Throws<ArgumentOutOfRangeException>(() => grf.PosteriorSample(fitting, 0)).Message);
        Assert.Contains("`cgIterations`", Assert.Throws<ArgumentOutOfRangeException>(() => new MmpsDenoiser(prior, new ObservationSet(new LinearGaussianObservation(mask, new double[2], 0.1)), 0)).Message);
        using var wrong = zeros(2, 63);
        Assert.Contains("must have shape (B, 64)", Assert.Throws<ArgumentException>(() => mask.Apply(wrong)).Message);
    }

    [Fact]
    public void MmpsSampling_LeavesNoLiveTensors()
    {
        var (field, observations, _) = Problem("mask+pool", 8);
        var denoiser = new MmpsDenoiser(field.Denoiser(new EdmSchedule()), observations);
        using var none = zeros(4, 0);
        new HeunSampler(3).Sample(denoiser, none, new Generator(1)).Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        new HeunSampler(3).Sample(denoiser, none, new Generator(1)).Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static (GaussianRandomField Field, ObservationSet Observations, double[] Truth) Problem(string observation, int size)
    {
        var field = new GaussianRandomField(size, size, lengthScale: size / 6.0);
        using var generator = new Generator(21);
        using var state = field.Sample(1, generator, ScalarType.Float64);
        var truth = state.data<double>().ToArray();
        LinearGaussianObservation Make(ILinearOperator op, int seed) => LinearGaussianObservation.Simulate(op, truth, 0.01, seed);
        var parts = observation.Split('+').Select((name, k) => Make(name switch
        {
            "mask" => PixelMask.Random(size * size, 0.2, seed: 3),
            "blur" => new PeriodicBlur(size, size, 1.0),
            "pool" => new AveragePooling(size, size, 4),
            _ => throw new ArgumentException(name),
        }, 10 + k)).ToArray();
        return (field, new ObservationSet(parts), truth);
    }

    private static (double Mean, double Variance) Errors(IDenoiser posterior, GaussianRandomField field, ObservationSet observations, DiffusionSampler? sampler = null)
    {
        using var scope = NewDisposeScope();
        var none = zeros(Draws, 0, dtype: ScalarType.Float64);
        return DrawErrors((sampler ?? new DpmSolverPlusPlusSampler()).Sample(posterior, none, new Generator(5)), field, observations);
    }

    /// <summary>Root-mean-square over pixels of the draws' mean and variance errors, each in units of its Monte-Carlo standard error (≈ 1 when exact).</summary>
    private static (double Mean, double Variance) DrawErrors(Tensor draws, GaussianRandomField field, ObservationSet observations)
    {
        using var scope = NewDisposeScope();
        var (mean, covariance) = field.Posterior(observations);
        var variance = covariance.diagonal();
        var drawnMean = draws.mean(new long[] { 0 });
        var drawnVariance = draws.var(0);
        var meanZ = (drawnMean - mean) / variance.Div((double)Draws).sqrt();
        var varianceZ = (drawnVariance - variance) / variance.Mul(Math.Sqrt(2.0 / (Draws - 1)));
        return (meanZ.Square().mean().sqrt().item<double>(), varianceZ.Square().mean().sqrt().item<double>());
    }
}
