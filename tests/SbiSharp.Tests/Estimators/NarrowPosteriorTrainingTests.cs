using System.Diagnostics;
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Priors;
using SbiSharp.Sampling;
using SbiSharp.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Estimators;

/// <summary>Informative data: a trained model must not draw a 30× contracted posterior too wide.</summary>
public class NarrowPosteriorTrainingTests(ITestOutputHelper output)
{
    /// <summary>
    /// Conjugate Gaussian: θ ~ N(0, I₂), x ~ N(θ, τ²I₂) with τ = 1/√899, so the posterior N(x/(1 + τ²), τ²/(1 + τ²)·I) has sd 1/30
    /// of the prior's. 10,000 simulations, the library's default estimator, training and sampler. Each posterior sd must come out
    /// within 15 % and each mean within 0.25 posterior sd, at five observations drawn from the prior predictive; Monte Carlo error with 4,000 draws is 1.1 % for
    /// the sd and 0.016 sd for the mean.
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Train_30xContraction_DrawsTheRightWidth()
    {
        const double contraction = 30;
        double tau2 = 1 / (contraction * contraction - 1);
        double posteriorSd = Math.Sqrt(tau2 / (1 + tau2));
        var prior = new GaussianPrior(new[] { 0.0, 0.0 }, new[,] { { 1.0, 0.0 }, { 0.0, 1.0 } });
        using var generator = new Generator(4);
        using var theta = randn(new long[] { 10_000, 2 }, generator: generator);
        using var noise = randn(new long[] { 10_000, 2 }, generator: generator);
        using var xs = theta.Plus(noise.Mul(Math.Sqrt(tau2)));
        using var data = new InMemoryDataset(theta, xs);
        using var estimator = new DiffusionPosteriorEstimator(prior, 2);
        var clock = Stopwatch.StartNew();
        var result = estimator.Train(data);
        output.WriteLine($"train {clock.Elapsed.TotalSeconds:F0} s, {result.Steps} steps, best epoch {result.BestEpoch} of {result.Losses.Count}, {result.StopReason}");
        // Five observations from the prior predictive (x ~ N(0, (1 + τ²) I)), not chosen by hand.
        using var observationGenerator = new Generator(8);
        using var x = randn(new long[] { 5, 2 }, generator: observationGenerator).Mul(Math.Sqrt(1 + tau2));
        var flat = x.data<float>().ToArray();
        var observed = new double[5, 2];
        for (int k = 0; k < 5; k++) for (int j = 0; j < 2; j++) observed[k, j] = flat[2 * k + j];
        using var samples = estimator.Sample(x, 4_000, SamplingOptions.Default with { Seed = 5 });
        double worstSd = 0, worstMean = 0;
        for (int k = 0; k < observed.GetLength(0); k++)
        {
            var mean = samples[k].mean(new long[] { 0 }).data<float>().ToArray();
            var sd = samples[k].std(0).data<float>().ToArray();
            for (int j = 0; j < 2; j++)
            {
                var exactMean = observed[k, j] / (1 + tau2);
                var meanError = Math.Abs(mean[j] - exactMean) / posteriorSd;
                var ratio = sd[j] / posteriorSd;
                output.WriteLine($"x{k} = {observed[k, j]:F2}, θ{j}: sd ratio {ratio:F3}, mean error {meanError:F3} sd");
                worstSd = Math.Max(worstSd, Math.Abs(ratio - 1));
                worstMean = Math.Max(worstMean, meanError);
            }
        }
        Assert.True(worstSd < 0.15, $"a posterior sd is off by {worstSd:P1} (limit 15 %)");
        Assert.True(worstMean < 0.25, $"a posterior mean is off by {worstMean:F2} posterior sd (limit 0.25)");
    }
}
