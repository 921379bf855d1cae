using SbiSharp.Composition;
using SbiSharp.Estimators;
using SbiSharp.Guidance;
using SbiSharp.Priors;
using SbiSharp.Sampling;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Guidance;

/// <summary>Guidance and composition through the estimator API on a trained Gaussian-linear model, against exact answers.</summary>
[Trait("Category", "Slow")]
[Collection(ForcedGcCollection.Name)]
public class TrainedModelGuidanceTests(TrainedGaussianLinearFixture model, ITestOutputHelper output) : IClassFixture<TrainedGaussianLinearFixture>
{
    private static readonly double[] Observed = { 0.4, -0.3 };
    private static readonly SamplingOptions Heun = new() { Sampler = new HeunSampler(30), Seed = 3 };

    private void AssertGaussian(Tensor samples, double[] mean, double variance, double meanTolSd, double varTol, string label)
    {
        var (m, c) = Moments.Of(samples);
        var sd = Math.Sqrt(variance);
        for (int j = 0; j < mean.Length; j++)
        {
            output.WriteLine($"{label} dim {j}: mean {m[j]:F4} vs {mean[j]:F4} ({Math.Abs(m[j] - mean[j]) / sd:F3} sd), var ratio {c[j, j] / variance:F3}");
            Assert.True(Math.Abs(m[j] - mean[j]) < meanTolSd * sd, $"{label}: mean[{j}] {m[j]:F4}, exact {mean[j]:F4}");
            Assert.InRange(c[j, j] / variance, 1 - varTol, 1 + varTol);
        }
    }

    [Fact]
    public void Unconditional_ConditionDropout_SamplesThePrior()
    {
        using var generator = new Generator(1);
        using var x = zeros(4000, 0);
        using var standardized = new HeunSampler(30).Sample(model.Estimator.Denoiser.Unconditional, x, generator);
        using var samples = model.Estimator.Space.ToOriginal(standardized);
        AssertGaussian(samples, new double[2], 0.1, 0.15, 0.15, "unconditional");
    }

    [Fact]
    public void PriorSwap_ShiftedGaussianPrior_MatchesConjugatePosterior()
    {
        var newPrior = new DiagonalGaussianPrior(new[] { 0.3, 0.3 }, new[] { Math.Sqrt(0.1), Math.Sqrt(0.1) });
        using (var plain = model.Estimator.Sample(Observed, 4000, Heun))
            AssertGaussian(plain, Observed.Select(v => v / 2).ToArray(), 0.05, 10, 10, "plain");
        using (var first = model.Estimator.Sample(Observed, 4000, Heun, guidance: new[] { new PriorSwapGuidance(model.Task.Prior, newPrior) { Method = PriorSwapMethod.FirstOrder } }))
            AssertGaussian(first, Observed.Select(v => (0.3 + v) / 2).ToArray(), 0.05, 10, 10, "first order");
        using var samples = model.Estimator.Sample(Observed, 4000, Heun, guidance: new[] { new PriorSwapGuidance(model.Task.Prior, newPrior) });
        // Posterior precision 1/0.1 + 1/0.1, mean (0.3 + x)/2.
        AssertGaussian(samples, Observed.Select(v => (0.3 + v) / 2).ToArray(), 0.05, 0.3, 0.2, "prior swap");
    }

    [Fact]
    public void Inpainting_FixFirstComponent_SamplesTheOtherFromItsConditional()
    {
        using var samples = model.Estimator.Sample(Observed, 4000, Heun, guidance: new[] { new InpaintingGuidance(new[] { 0 }, new[] { 0.9 }) });
        var (m, _) = Moments.Of(samples);
        Assert.InRange(m[0], 0.9 - 0.01, 0.9 + 0.01);
        // Independent dimensions: the conditional of θ₂ is its marginal N(x₂/2, 0.05).
        using var free = samples.narrow(1, 1, 1).contiguous();
        AssertGaussian(free, new[] { Observed[1] / 2 }, 0.05, 0.3, 0.2, "inpainting");
    }

    [Fact]
    public void ClassifierFree_WeightOne_SharpensTowardsTheLikelihood()
    {
        // At t = 0 the guided score is prior + 2·likelihood (posterior variance 1/30 instead of 1/20, mean 2x/3 instead of x/2);
        // at t > 0 the mixture of scores is not the diffusion of that tempered posterior, so only the direction is asserted.
        using var plain = model.Estimator.Sample(Observed, 4000, Heun);
        using var guided = model.Estimator.Sample(Observed, 4000, Heun, guidance: new[] { new ClassifierFreeGuidance(1.0) });
        var (pm, pc) = Moments.Of(plain);
        var (gm, gc) = Moments.Of(guided);
        for (int j = 0; j < 2; j++)
        {
            output.WriteLine($"dim {j}: plain mean {pm[j]:F4} var {pc[j, j]:F5}; guided mean {gm[j]:F4} var {gc[j, j]:F5}");
            Assert.InRange(gc[j, j] / pc[j, j], 0.4, 0.85);
            Assert.True(Math.Abs(gm[j]) > Math.Abs(pm[j]) + 0.02, "the guided mean should move from the prior mean 0 towards x");
        }
    }

    [Theory]
    [InlineData(CompositionMethod.Gauss, false)]
    [InlineData(CompositionMethod.Gauss, true)]
    public void Composition_TenObservations_MatchesExactPosterior(CompositionMethod method, bool analyticPrior)
    {
        using var generator = new Generator(21);
        using var observations = (tensor(new[] { 0.4f, -0.3f }).unsqueeze(0).Plus(randn(new long[] { 10, 2 }, generator: generator).Mul(Math.Sqrt(0.1)))).contiguous();
        var exactMean = observations.sum(new long[] { 0 }).data<float>().Select(v => v / 11.0).ToArray();
        using var samples = model.Estimator.SampleComposed(observations, 3000, new CompositionOptions { Method = method },
            Heun with { Sampler = new HeunSampler(60) }, analyticPrior ? model.Task.Prior : null);
        AssertGaussian(samples, exactMean, 0.1 / 11, 0.5, 0.35, $"{method} prior={(analyticPrior ? "analytic" : "network")}");
    }

    [Fact]
    public void Composition_JacWithTrainedNetwork_IsLessAccurateThanGauss()
    {
        // JAC relies on the network's Jacobian, which is far less accurate than its output at high noise: measured 0.85 sd
        // of mean error at N = 10 where GAUSS has 0.1. This pins the documented ranking; if JAC ever beats GAUSS here, revisit the default.
        using var generator = new Generator(21);
        using var observations = (tensor(new[] { 0.4f, -0.3f }).unsqueeze(0).Plus(randn(new long[] { 10, 2 }, generator: generator).Mul(Math.Sqrt(0.1)))).contiguous();
        var exact = observations.sum(new long[] { 0 }).data<float>().Select(v => v / 11.0).ToArray();
        double Error(CompositionMethod method)
        {
            using var samples = model.Estimator.SampleComposed(observations, 2000, new CompositionOptions { Method = method }, Heun with { Sampler = new HeunSampler(40) }, model.Task.Prior);
            var (m, _) = Moments.Of(samples);
            return Enumerable.Range(0, 2).Max(j => Math.Abs(m[j] - exact[j])) / Math.Sqrt(0.1 / 11);
        }
        var jac = Error(CompositionMethod.Jac);
        var gauss = Error(CompositionMethod.Gauss);
        output.WriteLine($"N = 10: mean error JAC {jac:F3} sd, GAUSS {gauss:F3} sd");
        Assert.True(gauss < 0.4, $"GAUSS mean error {gauss:F3} sd");
        Assert.True(jac < 2.0, $"JAC mean error {jac:F3} sd");
    }

    [Fact]
    public void SampleComposed_NoDropoutNoPrior_ThrowsClearly()
    {
        using var plain = new DiffusionPosteriorEstimator(2, 2, Estimators.DesignSpaceTests.SmallModel);
        var e = Assert.Throws<InvalidOperationException>(() => plain.SampleComposed(ones(3, 2), 10));
        Assert.Contains("ConditionDropout", e.Message);
    }

    [Fact]
    public void GuidedAndComposedSampling_LeaveNoLiveTensors()
    {
        using var x = ones(2, 2);
        var guidance = new DenoiserGuidance[] { new PriorSwapGuidance(model.Task.Prior, model.Task.Prior), new InpaintingGuidance(new[] { 1 }, new[] { 0.1 }), new ClassifierFreeGuidance(0.5),
            new ConstraintGuidance(theta => theta[.., 0].Sub(1)) };
        var quick = new SamplingOptions { Sampler = new HeunSampler(3), Seed = 1 };
        model.Estimator.Sample(x, 5, quick, guidance: guidance).Dispose();
        model.Estimator.SampleComposed(x, 5, null, quick).Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        model.Estimator.Sample(x, 5, quick, guidance: guidance).Dispose();
        foreach (var method in Enum.GetValues<CompositionMethod>())
            model.Estimator.SampleComposed(x, 5, new CompositionOptions { Method = method, PilotDraws = 8 }, quick).Dispose();
        model.Estimator.SampleComposed(x, 5, new CompositionOptions { Method = CompositionMethod.Jac }, quick, model.Task.Prior).Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
