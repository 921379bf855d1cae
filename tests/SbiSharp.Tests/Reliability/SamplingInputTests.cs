using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Guidance;
using SbiSharp.Networks;
using SbiSharp.Sampling;
using TorchSharp;

namespace SbiSharp.Tests.Reliability;

/// <summary>Fixed values come back exact, out-of-range values and impossible sizes are refused with the numbers.</summary>
public class SamplingInputTests
{
    private static DiffusionPosteriorEstimator Tiny() =>
        new(3, 2, DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 16, Blocks = 1 } });

    [Fact]
    public void Sample_WithFixedComponent_ReturnsExactlyTheFixedValue()
    {
        using var estimator = Tiny();
        var options = SamplingOptions.Default with { Sampler = new EulerSampler(4), Seed = 2 };
        using var draws = estimator.Sample(new[] { 0.5, -0.5 }, 50, options, guidance: new DenoiserGuidance[] { new InpaintingGuidance(new[] { 1 }, new[] { 0.1 }) });
        Assert.All(draws.select(1, 1).data<float>().ToArray(), v => Assert.Equal(0.1f, v));
        Assert.Contains(draws.select(1, 0).data<float>().ToArray(), v => v != 0.1f);
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(double.NaN)]
    [InlineData(-4e38)]
    public void Inpainting_ValueOutsideFloat32_IsRefused(double value)
    {
        var e = Assert.Throws<ArgumentException>(() => new InpaintingGuidance(new[] { 0 }, new[] { value }));
        Assert.Contains("`values[0]` must be a finite number within the float32 range", e.Message);
    }

    [Fact]
    public void Sample_MoreDrawsThanOneTensorHolds_IsRefusedWithTheSize()
    {
        using var estimator = Tiny();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Sample(new[] { 0.0, 0.0 }, int.MaxValue));
        Assert.Contains("GiB in one tensor", e.Message);
        Assert.Contains("`numSamples`", e.Message);
    }

    [Fact]
    public void Sample_GuidanceThatMakesNaN_IsRefusedAndReturnsNothing()
    {
        using var estimator = Tiny();
        var options = SamplingOptions.Default with { Sampler = new EulerSampler(4), Seed = 2 };
        var e = Assert.Throws<InvalidOperationException>(() => estimator.Sample(new[] { 0.5, -0.5 }, 20, options, guidance: new DenoiserGuidance[] { new PoisonGuidance() }));
        Assert.Contains("Sampling produced 20 of 20 draws with NaN or Inf", e.Message);
    }

    /// <summary>Turns the first row's denoised mean into NaN at every step, as a broken guidance term or a far-out input would.</summary>
    private sealed class PoisonGuidance : DenoiserGuidance
    {
        public override IDenoiser Apply(IDenoiser inner, GuidanceContext context) => new Poisoned(inner);

        private sealed class Poisoned(IDenoiser inner) : IDenoiser
        {
            public SbiSharp.Noise.INoiseSchedule Schedule => inner.Schedule;
            public int ParameterDimension => inner.ParameterDimension;

            public TorchSharp.torch.Tensor Denoise(TorchSharp.torch.Tensor thetaT, TorchSharp.torch.Tensor logSnr, TorchSharp.torch.Tensor x)
            {
                using var mean = inner.Denoise(thetaT, logSnr, x);
                using var nan = double.NaN.ToScalar();
                return mean.fill_(nan).clone();
            }
        }
    }

    [Fact]
    public void Draw_ReportsTheNetworkEvaluationsCountedInTheRun()
    {
        using var estimator = Tiny();
        using var x = TorchSharp.torch.zeros(2, 2);
        var heun = new HeunSampler(8);
        using (var fixedGrid = estimator.Draw(x, 30, SamplingOptions.Default with { Sampler = heun, ChunkSize = 25 }))
            Assert.Equal((double)heun.PlannedNetworkEvaluations!, fixedGrid.NetworkEvaluations);
        var adaptive = new AdaptiveSdeSampler();
        Assert.Null(adaptive.PlannedNetworkEvaluations);
        using var run = estimator.Draw(x, 30, SamplingOptions.Default with { Sampler = adaptive });
        // At least two calls per accepted step and at least MinSteps steps: never the 2 that Steps × EvaluationsPerStep would claim.
        Assert.True(run.NetworkEvaluations >= 2 * AdaptiveSdeOptions.Default.MinSteps, $"{run.NetworkEvaluations}");
    }
}
