using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Noise;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using SbiSharp.Tests.Estimators;
using Xunit.Abstractions;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Sampling;

/// <summary>The probability-flow log density against the analytic Gaussian posterior N(x/2, 0.05·I).</summary>
public class ProbabilityFlowLogDensityTests(ITestOutputHelper output)
{
    private static double[] AnalyticLogProb(Tensor theta, double[] x)
    {
        var rows = theta.shape[0];
        var d = theta.shape[1];
        var values = theta.to(ScalarType.Float64).data<double>().ToArray();
        var result = new double[rows];
        for (long i = 0; i < rows; i++)
        {
            double sum = 0;
            for (long j = 0; j < d; j++)
            {
                var z = values[i * d + j] - x[j] / 2;
                sum += -0.5 * z * z / 0.05 - 0.5 * Math.Log(2 * Math.PI * 0.05);
            }
            result[i] = sum;
        }
        return result;
    }

    private static INoiseSchedule Schedule(string name) => name switch
    {
        // σ_max = 2000 instead of 80: the density is that of the sampler, which starts from N(0, α₁² + σ₁²) while the true
        // marginal at t = 1 is N(α₁m, α₁²v + σ₁²); with σ_max = 80 that truncation alone is worth ≈ 0.04 nats here.
        "edm-vp" => new EdmSchedule(EdmScheduleOptions.Default with { SigmaMax = 2000 }),
        "edm-ve" => new EdmSchedule(EdmScheduleOptions.Default with { SigmaMax = 2000, Form = VarianceForm.Exploding }),
        "cosine" => new CosineSchedule(),
        "rectified" => new RectifiedFlowSchedule(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("edm-vp")]
    [InlineData("edm-ve")]
    [InlineData("cosine")]
    [InlineData("rectified")]
    public void LogProb_ExactDenoiser_MatchesAnalyticDensity(string schedule)
    {
        var observed = new[] { 0.8, -0.6, 1.2 };
        var denoiser = new GaussianPosteriorDenoiser(Schedule(schedule), 3, 0, 0.1, 0.1);
        using var generator = new Generator(3);
        // Points from the posterior and from twice as wide, so the tails are checked too.
        using var center = tensor(observed.Select(v => v / 2).ToArray(), dtype: ScalarType.Float32);
        using var theta = center.Plus(randn(new long[] { 200, 3 }, generator: generator).Mul(Math.Sqrt(0.05)) * linspace(0.5, 2.0, 200).unsqueeze(1));
        using var x = tensor(observed, dtype: ScalarType.Float32).unsqueeze(0).expand(200, 3).contiguous();
        using var logProb = new ProbabilityFlowLogDensity().LogProb(denoiser, theta, x);
        var expected = AnalyticLogProb(theta, observed);
        var actual = logProb.data<double>().ToArray();
        var maxError = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{schedule}: max |error| {maxError:F4} nats over values {expected.Min():F1}..{expected.Max():F1}");
        Assert.True(maxError < 0.02, $"{schedule}: log density off by {maxError:F4} nats");
    }

    /// <summary>An anisotropic, rotated Gaussian denoiser: its velocity Jacobian is not diagonal, so Hutchinson's estimate is noisy.</summary>
    private sealed class RotatedDenoiser(int dimension) : IDenoiser
    {
        private readonly GaussianPosteriorDenoiser[] _parts = Enumerable.Range(0, dimension).Select(j => new GaussianPosteriorDenoiser(new EdmSchedule(), 1, 0, 0.1, 0.02 * (j + 1))).ToArray();
        private readonly Tensor _rotation = linalg.qr(randn(new long[] { dimension, dimension }, generator: new Generator(9))).Q;

        public INoiseSchedule Schedule => _parts[0].Schedule;

        public int ParameterDimension => _parts.Length;

        public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
        {
            using var scope = NewDisposeScope();
            var rotated = thetaT.matmul(_rotation);
            var columns = _parts.Select((p, j) => p.Denoise(rotated[.., j..(j + 1)], logSnr, x[.., j..(j + 1)])).ToArray();
            return cat(columns, 1).matmul(_rotation.t()).MoveToOuterDisposeScope();
        }
    }

    [Fact]
    public void LogProb_Hutchinson_IsUnbiasedAroundTheExactValue()
    {
        var observed = new[] { 0.8, -0.6, 1.2, 0.1, -0.2 };
        var denoiser = new RotatedDenoiser(5);
        using var generator = new Generator(5);
        using var center = tensor(observed.Select(v => v / 2).ToArray(), dtype: ScalarType.Float32);
        using var theta = center.Plus(randn(new long[] { 400, 5 }, generator: generator).Mul(Math.Sqrt(0.05)));
        using var x = tensor(observed, dtype: ScalarType.Float32).unsqueeze(0).expand(400, 5).contiguous();
        using var exact = new ProbabilityFlowLogDensity(new LogDensityOptions { Trace = TraceEstimator.Exact, Steps = 32 }).LogProb(denoiser, theta, x);
        using var hutchinson = new ProbabilityFlowLogDensity(new LogDensityOptions { Trace = TraceEstimator.Hutchinson, Steps = 32, Seed = 1 }).LogProb(denoiser, theta, x);
        using var difference = hutchinson - exact;
        var bias = difference.mean().item<double>();
        var spread = difference.std().item<double>();
        output.WriteLine($"Hutchinson − exact: mean {bias:F4}, sd {spread:F4}");
        Assert.True(spread > 1e-4, "the Hutchinson estimate should be noisy");
        Assert.True(Math.Abs(bias) < 4 * spread / Math.Sqrt(400) + 1e-3, $"Hutchinson bias {bias:F4} (sd {spread:F4})");
    }

    [Fact]
    public void LogProb_BadShapes_NameTheParameter()
    {
        var denoiser = new GaussianPosteriorDenoiser(new EdmSchedule(), 2, 0, 0.1, 0.1);
        using var theta = zeros(4, 3);
        using var x = zeros(4, 2);
        var e = Assert.Throws<ArgumentException>(() => new ProbabilityFlowLogDensity().LogProb(denoiser, theta, x));
        Assert.Contains("theta", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProbabilityFlowLogDensity(new LogDensityOptions { Steps = 0 }));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void EstimatorLogProb_TrainedGaussianLinear_MatchesAnalyticDensityInOriginalUnits()
    {
        // Dθ = 2 with prior N(0, 0.1): the standardization scale is √0.1 per dimension, a Jacobian of +2.3 nats that must be included.
        var task = GaussianLinearTask.Create(2);
        using var estimator = new DiffusionPosteriorEstimator(2, 2, DesignSpaceTests.SmallModel);
        estimator.Train(new OnlineDataset(task.Joint()), DesignSpaceTests.ShortTraining);
        var observed = new[] { 0.4, -0.3 };
        using var samples = estimator.Sample(observed, 300, new SamplingOptions { Seed = 2 });
        using var x = tensor(observed, dtype: ScalarType.Float32).unsqueeze(0);
        using var logProb = estimator.LogProb(samples, x);
        var expected = AnalyticLogProb(samples, observed);
        var actual = logProb.data<double>().ToArray();
        var meanError = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Average();
        output.WriteLine($"trained: mean |error| {meanError:F3} nats; Jacobian {-estimator.ThetaStandardizer.LogScale:F2} nats");
        Assert.True(meanError < 0.2, $"log density off by {meanError:F3} nats on average");
    }
}
