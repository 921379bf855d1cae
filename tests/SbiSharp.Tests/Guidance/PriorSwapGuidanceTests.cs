using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Guidance;
using SbiSharp.Noise;
using SbiSharp.Priors;
using SbiSharp.Sampling;
using Xunit.Abstractions;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Guidance;

/// <summary>Prior swap on the exact Gaussian-linear denoiser (prior N(0, 0.1 I), x ~ N(θ, 0.1 I)) against the conjugate posterior under the new prior.</summary>
public class PriorSwapGuidanceTests(ITestOutputHelper output)
{
    private static readonly double[] Observed = { 0.3, -0.2 };

    /// <summary>Exact posterior mean and variance per dimension under prior N(μ′, s′²), likelihood N(θ, 0.1).</summary>
    internal static (double[] Mean, double Variance) Conjugate(double[] newMean, double newStd)
    {
        var variance = 1 / (1 / (newStd * newStd) + 1 / 0.1);
        return (newMean.Select((m, i) => variance * (m / (newStd * newStd) + Observed[i] / 0.1)).ToArray(), variance);
    }

    internal static Tensor SampleSwapped(PriorSwapMethod method, double[] newMean, double newStd, int n = 4000)
    {
        // As the estimator does it: the denoiser works in standardized units (prior N(0, I), so x is scaled by 1/√0.1 too).
        var schedule = new EdmSchedule();
        var scale = Math.Sqrt(0.1);
        var denoiser = new GaussianPosteriorDenoiser(schedule, 2, 0, 1, 1);
        var swap = new PriorSwapGuidance(new DiagonalGaussianPrior(new double[2], new[] { scale, scale }),
            new DiagonalGaussianPrior(newMean, new[] { newStd, newStd })) { Method = method };
        var standardizer = new Standardizer(new double[2], new[] { scale, scale });
        var guided = swap.Apply(denoiser, new GuidanceContext(standardizer));
        using var generator = new Generator(11);
        using var x = (tensor(Observed, dtype: ScalarType.Float32).unsqueeze(0).expand(n, 2).Div(scale)).contiguous();
        using var standardized = new HeunSampler(30).Sample(guided, x, generator);
        return standardizer.Inverse(standardized);
    }

    [Theory]
    [InlineData(0.5, 0.3162)]   // mean shift only
    [InlineData(-0.4, 0.15)]    // narrower and shifted
    [InlineData(0.2, 1.0)]      // much wider
    public void Tweedie_GaussianPriors_MatchesConjugatePosterior(double shift, double newStd)
    {
        var newMean = new[] { shift, -shift };
        var (mean, variance) = Conjugate(newMean, newStd);
        using var samples = SampleSwapped(PriorSwapMethod.Tweedie, newMean, newStd);
        var (m, c) = Moments.Of(samples);
        var sd = Math.Sqrt(variance);
        for (int j = 0; j < 2; j++)
        {
            output.WriteLine($"dim {j}: mean {m[j]:F4} vs {mean[j]:F4}, var {c[j, j]:F5} vs {variance:F5}");
            Assert.InRange(m[j], mean[j] - 0.06 * sd, mean[j] + 0.06 * sd);
            Assert.InRange(c[j, j], variance * 0.93, variance * 1.07);
        }
    }

    [Fact]
    public void FirstOrder_ShiftedPrior_BiasGrowsWithDistanceButStaysBounded()
    {
        var errors = new List<double>();
        foreach (var shift in new[] { 0.1, 0.5, 1.0 })
        {
            var (mean, variance) = Conjugate(new[] { shift, -shift }, Math.Sqrt(0.1));
            using var samples = SampleSwapped(PriorSwapMethod.FirstOrder, new[] { shift, -shift }, Math.Sqrt(0.1));
            var (m, _) = Moments.Of(samples);
            var error = Math.Abs(m[0] - mean[0]) / Math.Sqrt(variance);
            output.WriteLine($"shift {shift}: mean error {error:F3} sd");
            errors.Add(error);
        }
        Assert.True(errors[0] < 0.15, $"small shift error {errors[0]:F3} sd");
        Assert.True(errors[2] > errors[0], "the first-order bias should grow as the new prior moves away");
    }

    [Fact]
    public void Apply_MismatchedDimensions_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PriorSwapGuidance(new DiagonalGaussianPrior(new double[2], new[] { 1.0, 1.0 }), new DiagonalGaussianPrior(new double[3], new[] { 1.0, 1.0, 1.0 })));
        Assert.Contains("newPrior", ex.Message);
    }
}
