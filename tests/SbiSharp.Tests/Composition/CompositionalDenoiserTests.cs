using SbiSharp.Composition;
using SbiSharp.Denoising;
using SbiSharp.Noise;
using SbiSharp.Sampling;
using SbiSharp.Tests.Guidance;
using Xunit.Abstractions;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Composition;

/// <summary>Composition of the exact single-observation Gaussian-linear denoiser (prior N(0, 0.1 I), x ~ N(θ, 0.1 I)) against the exact posterior given N observations.</summary>
public class CompositionalDenoiserTests(ITestOutputHelper output)
{
    /// <summary>Samples the composed posterior; returns the mean error in posterior sd and the variance ratio (worst dimension).</summary>
    internal static (double MeanError, double VarianceRatio) Run(CompositionMethod method, int n, bool damp = false, int draws = 6000, int steps = 100)
    {
        var schedule = new EdmSchedule();
        var conditional = new GaussianPosteriorDenoiser(schedule, 2, 0, 0.1, 0.1);
        var prior = new GaussianDenoiser(schedule, new double[2], new[,] { { 0.1, 0 }, { 0, 0.1 } });
        using var generator = new Generator(13);
        var truth = tensor(new[] { 0.4, -0.3 }).unsqueeze(0);
        using var observations = (truth.Plus(randn(new long[] { n, 2 }, dtype: ScalarType.Float64, generator: generator).Mul(Math.Sqrt(0.1)))).to(ScalarType.Float32);
        using var covariances = (eye(2, dtype: ScalarType.Float64).Mul(0.05)).unsqueeze(0).expand(n, 2, 2).contiguous();
        using var composed = new CompositionalDenoiser(conditional, observations, prior,
            new CompositionOptions { Method = method, DampPriorScore = damp, MaxRows = 20_000 }, covariances);
        var (a, s) = schedule.Scales(schedule.LogSnr(1.0));
        using var initial = randn(new long[] { draws, 2 }, generator: generator).Mul(Math.Sqrt(a * a * 0.1 / n + s * s));
        using var samples = new HeunSampler(steps).Sample(composed, zeros(draws, 0), generator, initial);
        var (m, c) = Moments.Of(samples);
        var exactVariance = 0.1 / (n + 1);
        var exactMean = observations.to(ScalarType.Float64).sum(new long[] { 0 }).data<double>().Select(v => v / (n + 1)).ToArray();
        double meanError = 0, ratio = 1;
        for (int j = 0; j < 2; j++)
        {
            meanError = Math.Max(meanError, Math.Abs(m[j] - exactMean[j]) / Math.Sqrt(exactVariance));
            var r = c[j, j] / exactVariance;
            if (Math.Abs(Math.Log(r)) > Math.Abs(Math.Log(ratio))) ratio = r;
        }
        return (meanError, ratio);
    }

    [Theory]
    [InlineData(CompositionMethod.Gauss, 10)]
    [InlineData(CompositionMethod.Gauss, 100)]
    [InlineData(CompositionMethod.Jac, 10)]
    [InlineData(CompositionMethod.Jac, 100)]
    public void PrecisionWeighted_ExactDenoisers_MatchExactPosterior(CompositionMethod method, int n)
    {
        var (meanError, ratio) = Run(method, n, draws: method == CompositionMethod.Jac && n > 10 ? 2000 : 6000);
        output.WriteLine($"{method} N={n}: mean error {meanError:F3} sd, variance ratio {ratio:F3}");
        Assert.True(meanError < 0.08, $"mean error {meanError:F3} posterior sd");
        Assert.InRange(ratio, 0.94, 1.08);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    public void Sum_ExactDenoisers_IsWorseThanPrecisionWeighting(int n)
    {
        // The plain sum of scores is exact only at t = 0: with an ODE sampler its error is far above GAUSS's.
        var (sumMean, sumRatio) = Run(CompositionMethod.Sum, n, steps: 30);
        var (gaussMean, gaussRatio) = Run(CompositionMethod.Gauss, n, steps: 30);
        output.WriteLine($"N={n}: sum mean error {sumMean:F3} sd, variance ratio {sumRatio:F3}; GAUSS {gaussMean:F3} sd, {gaussRatio:F3}");
        Assert.True(Math.Abs(Math.Log(sumRatio)) > 2 * Math.Abs(Math.Log(gaussRatio)) || sumMean > 2 * gaussMean + 0.1,
            $"sum: {sumMean:F3} sd / ×{sumRatio:F3}; GAUSS: {gaussMean:F3} sd / ×{gaussRatio:F3}");
    }

    [Fact]
    public void SingleObservation_EveryMethod_EqualsConditionalDenoiser()
    {
        var schedule = new EdmSchedule();
        var conditional = new GaussianPosteriorDenoiser(schedule, 2, 0, 0.1, 0.1);
        var prior = new GaussianDenoiser(schedule, new double[2], new[,] { { 0.1, 0 }, { 0, 0.1 } });
        using var x = tensor(new[] { 0.5f, -0.1f }).unsqueeze(0);
        using var generator = new Generator(3);
        using var thetaT = randn(new long[] { 64, 2 }, generator: generator);
        using var logSnr = ScalarMath.Full(new long[] { 64, 1 }, schedule.LogSnr(0.5));
        using var expected = conditional.Denoise(thetaT, logSnr, x.expand(64, 2));
        foreach (var method in Enum.GetValues<CompositionMethod>())
        {
            using var covariances = (eye(2, dtype: ScalarType.Float64).Mul(0.05)).unsqueeze(0);
            using var composed = new CompositionalDenoiser(conditional, x, prior, new CompositionOptions { Method = method }, covariances);
            using var actual = composed.Denoise(thetaT, logSnr, zeros(64, 0));
            Assert.True(actual.allclose(expected, 1e-4, 1e-4), $"{method}: composing one observation must reproduce its denoiser");
        }
    }
}
