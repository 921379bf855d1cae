using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Guidance;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Registration;
using SbiSharp.Sampling;
using SbiSharp.States;
using SbiSharp.Torch;
using SbiSharp.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SbiSharp.Tests.States;

/// <summary>The unconditional diffusion prior of the states half (x the state, y the observation): training, files, zero-shot posteriors, and the units the
/// observation guidance works in.</summary>
public class DiffusionPriorTests(ITestOutputHelper output)
{
    private static readonly UNetSpec SmallNet = UNetSpec.Default with { Width = 8, Multipliers = new[] { 1, 2 } };

    private static TrainingOptions Quick(int steps) => TrainingOptions.Default with { MaxSteps = steps, BatchSize = 64, LearningRate = 2e-3, WarmupSteps = 10 };

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"sbisharp-prior-{Guid.NewGuid():N}-{name}");

    /// <summary>GRF states scaled to mean 2, sd 3, so the prior's standardization is not the identity.</summary>
    private static Tensor States(GaussianRandomField field, int count, int seed)
    {
        using var g = new Generator((ulong)seed);
        using var z = field.Sample(count, g);
        return z.Mul(3.0).Add(2.0).reshape(count, 1, field.Height, field.Width);
    }

    [Fact]
    public void TrainSaveLoad_SameSeedSameDraws_ShapesFollowTheState_AndNothingLeaks()
    {
        var field = new GaussianRandomField(8, 8, lengthScale: 2);
        using var states = States(field, 256, 1);
        using var prior = new DiffusionPrior(new[] { 1, 8, 8 }, DiffusionEstimatorOptions.Default with { Network = SmallNet });
        Assert.IsType<UNetSpec>(prior.Options.Network);
        Assert.Equal(new[] { 1, 8, 8 }, ((UNetSpec)prior.Options.Network).Shape);
        prior.Train(states, Quick(20));
        Assert.InRange(prior.Mean, 1.0, 3.0);
        Assert.InRange(prior.Std, 2.0, 4.0);
        var sampling = SamplingOptions.Default with { Seed = 3, Sampler = new EulerSampler(4) };
        using var a = prior.Sample(5, sampling);
        Assert.Equal(new long[] { 5, 1, 8, 8 }, a.shape);
        var path = Temp("p.sbis");
        try
        {
            prior.Save(path);
            using var back = DiffusionPrior.Load(path);
            Assert.Equal(prior.Shape, back.Shape);
            using var b = back.Sample(5, sampling);
            Assert.True(a.equal(b).all().item<bool>(), "a loaded prior must give the same draws for the same seed");
            var mask = PixelMask.Random(64, 0.25, seed: 2);
            var y = new ObservationSet(new LinearGaussianObservation(mask, Enumerable.Repeat(2.0, mask.OutputDimension).ToArray(), 0.01));
            using var posterior = back.SamplePosterior(y, 3, new MmpsMethod { CgIterations = 2 }, sampling);
            Assert.Equal(new long[] { 3, 1, 8, 8 }, posterior.shape);
            Assert.True(posterior.isfinite().all().item<bool>());

            // Training and sampling leave no live tensors behind.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            prior.Train(states, Quick(3));
            prior.SamplePosterior(y, 2, null, sampling).Dispose();
            Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BadInput_IsRefusedByName()
    {
        Assert.Contains("`shape` must be (C, H, W), (C, L) or (D)", Assert.Throws<ArgumentException>(() => new DiffusionPrior(new[] { 1, 2, 3, 4 })).Message);
        using var prior = new DiffusionPrior(new[] { 1, 8, 8 }, DiffusionEstimatorOptions.Default with { Network = SmallNet });
        using var wrong = zeros(10, 1, 8, 7);
        Assert.Contains("must have shape (N, 1, 8, 8) or (N, 64) to match the prior; got (10, 1, 8, 7)", Assert.Throws<ArgumentException>(() => prior.Train(wrong)).Message);
        using var constant = ones(10, 64);
        Assert.Contains("no spread", Assert.Throws<ArgumentException>(() => prior.Train(constant)).Message);
        using var one = randn(1, 64);
        Assert.Contains("at least 2 samples", Assert.Throws<ArgumentException>(() => prior.Train(one)).Message);
        using var nan = randn(4, 64);
        nan[1, 3] = tensor(double.NaN);
        Assert.Contains("`states`", Assert.Throws<ArgumentException>(() => prior.Train(nan)).Message);
        var otherMask = PixelMask.Random(100, 0.1, 1);
        var other = new ObservationSet(new LinearGaussianObservation(otherMask, new double[otherMask.OutputDimension], 0.1));
        Assert.Contains("states of length 100; this prior's states (1, 8, 8) have 64", Assert.Throws<ArgumentException>(() => prior.SamplePosterior(other, 2)).Message);
        var path = Temp("npe.sbis");
        try
        {
            using (var npe = new DiffusionPosteriorEstimator(2, 1)) npe.Save(path);
            Assert.Contains("not a 'diffusion-prior'", Assert.Throws<InvalidDataException>(() => DiffusionPrior.Load(path)).Message);
        }
        finally { File.Delete(path); }
        Assert.Contains("The step size must be a finite number", Assert.Throws<ArgumentException>(() => Registries.ZeroShotMethods.Create("dps", new CreationArguments(Argument: "big"))).Message);
    }

    /// <summary>The guidance re-expresses observations in the denoiser's standardized units: with the exact denoiser of z = (x − 2)/3 for a GRF z, MMPS's draws
    /// mapped back to x have the exact posterior of x (mean and per-pixel variance within Monte-Carlo error).</summary>
    [Fact]
    public void ObservationGuidance_InStandardizedUnits_GivesTheExactPosteriorOfTheOriginalState()
    {
        var field = new GaussianRandomField(8, 8, lengthScale: 2);
        const double mu = 2, s = 3;
        using var scope = NewDisposeScope();
        var truth = field.Sample(1, new Generator(4), ScalarType.Float64).Mul(s).Add(mu);
        var op = new DenseOperator(Matrix(6, 64, 5));
        var y = LinearGaussianObservation.Simulate(op, truth.data<double>().ToArray(), 0.05, 6);
        var observations = new ObservationSet(y);
        var standardizer = new SbiSharp.Data.Standardizer(Enumerable.Repeat(mu, 64).ToArray(), Enumerable.Repeat(s, 64).ToArray());
        var schedule = new EdmSchedule();
        var guided = new ObservationGuidance(observations, new MmpsMethod { CgIterations = 24, CgTolerance = 1e-9 }).Apply(field.Denoiser(schedule), new GuidanceContext(standardizer));
        const int draws = 3000;
        var z = new DpmSolverPlusPlusSampler().Sample(guided, zeros(draws, 0, dtype: ScalarType.Float64), new Generator(8));
        var x = z.Mul(s).Add(mu);
        // The exact posterior of x ~ N(μ1, s²Σ) under y = A x + η.
        var prior = field.Covariance().Mul(s * s);
        var a = tensor(Flat(Matrix(6, 64, 5)), new long[] { 6, 64 }, dtype: ScalarType.Float64);
        var gain = prior.matmul(a.T).matmul(linalg.inv(a.matmul(prior).matmul(a.T).Plus(eye(6, dtype: ScalarType.Float64).Mul(0.05))));
        var yv = tensor(y.Values.ToArray(), dtype: ScalarType.Float64);
        var mean = ScalarMath.Full(64, mu, ScalarType.Float64).Plus(gain.matmul(yv - a.matmul(ScalarMath.Full(64, mu, ScalarType.Float64))));
        var variance = (prior - gain.matmul(a).matmul(prior)).diagonal();
        var (meanZ, ratio) = Compare(x, mean, variance);
        output.WriteLine($"rms mean z {meanZ:F2}, mean variance ratio {ratio:F3}");
        Assert.InRange(meanZ, 0, 1.5);
        Assert.InRange(ratio, 0.93, 1.07);
    }

    /// <summary>ΠGDM's isotropic covariance is Tweedie's own when the prior is N(0, I): then it draws the exact posterior; on a correlated field it is measurably off.</summary>
    [Fact]
    public void Pigdm_IsExactForAWhitePrior_AndOffForACorrelatedOne()
    {
        using var scope = NewDisposeScope();
        var schedule = new EdmSchedule();
        var identity = new double[16, 16];
        for (int i = 0; i < 16; i++) identity[i, i] = 1;
        var white = new GaussianDenoiser(schedule, new double[16], identity);
        var m = Matrix(5, 16, 2);
        var op = new DenseOperator(m);
        var y = new ObservationSet(LinearGaussianObservation.Simulate(op, Enumerable.Range(0, 16).Select(i => Math.Sin(i)).ToArray(), 0.1, 3));
        const int draws = 4000;
        var x = new DpmSolverPlusPlusSampler().Sample(new PigdmMethod().Wrap(white, y), zeros(draws, 0, dtype: ScalarType.Float64), new Generator(1));
        var a = tensor(Flat(m), new long[] { 5, 16 }, dtype: ScalarType.Float64);
        var precision = eye(16, dtype: ScalarType.Float64).Plus(a.T.matmul(a).Div(0.1));
        var covariance = linalg.inv(precision);
        var mean = covariance.matmul(a.T.matmul(tensor(y.Parts[0].Values.ToArray(), dtype: ScalarType.Float64)).Div(0.1));
        var variance = covariance.diagonal();
        var (meanZ, ratio) = Compare(x, mean, variance);
        output.WriteLine($"ΠGDM, white prior: rms mean z {meanZ:F2}, variance ratio {ratio:F3}");
        Assert.InRange(meanZ, 0, 1.5);
        Assert.InRange(ratio, 0.93, 1.07);
    }

    /// <summary>Every registered zero-shot method keeps the shape, stays finite, and pulls the denoised mean toward the data at a low noise level.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryMethod_MovesTheDenoisedMeanTowardTheObservation(string name)
    {
        using var scope = NewDisposeScope();
        var field = new GaussianRandomField(8, 8, lengthScale: 2);
        var prior = field.Denoiser(new EdmSchedule());
        var mask = PixelMask.Random(64, 0.3, 1);
        var y = new ObservationSet(new LinearGaussianObservation(mask, Enumerable.Repeat(1.5, mask.OutputDimension).ToArray(), 0.01));
        var posterior = Registries.ZeroShotMethods.Create(name).Wrap(prior, y);
        var xt = field.Sample(4, new Generator(2), ScalarType.Float64);
        var logSnr = ScalarMath.Full(4, 1, 2.0, ScalarType.Float64);
        var none = zeros(4, 0, dtype: ScalarType.Float64);
        var before = prior.Denoise(xt, logSnr, none);
        var after = posterior.Denoise(xt, logSnr, none);
        Assert.Equal(before.shape, after.shape);
        Assert.True(after.isfinite().all().item<bool>());
        var target = y.Values(ScalarType.Float64);
        var gapBefore = (mask.Apply(before) - target).Square().sum().item<double>();
        var gapAfter = (mask.Apply(after) - target).Square().sum().item<double>();
        Assert.True(gapAfter < gapBefore, $"{name}: ‖y − A E‖² went from {gapBefore:F3} to {gapAfter:F3}");
    }

    public static TheoryData<string> Methods => new(Registries.ZeroShotMethods.Names);

    private static double[,] Matrix(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) m[i, j] = random.NextDouble() - 0.5;
        return m;
    }

    /// <summary>The rms over values of the draws' mean error in Monte-Carlo sds, and their mean variance over the exact one.</summary>
    private static (double MeanZ, double Ratio) Compare(Tensor x, Tensor mean, Tensor variance)
    {
        using var scope = NewDisposeScope();
        var meanZ = ((x.mean(new long[] { 0 }) - mean) / variance.Div((double)x.shape[0]).sqrt()).Square().mean().sqrt().item<double>();
        return (meanZ, (x.var(0) / variance).mean().item<double>());
    }

    private static double[] Flat(double[,] m) => m.Cast<double>().ToArray();
}
