using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Sampling;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Estimators;

/// <summary><c>Condition(x)</c> is the estimator's posterior for one x: the same draws and densities as passing x each time.</summary>
public class ConditionedPosteriorTests
{
    [Fact]
    public void Condition_SampleAndLogProb_EqualTheEstimatorsWithTheSameX()
    {
        using var estimator = new DiffusionPosteriorEstimator(2, 3, DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 16, Blocks = 1 }, InitializationSeed = 2 });
        var x = new[] { 0.2, -1.0, 0.5 };
        var sampling = SamplingOptions.Default with { Sampler = new HeunSampler(8), Seed = 6 };
        using var posterior = estimator.Condition(x);
        using var a = posterior.Sample(300, sampling);
        using var b = estimator.Sample(x, 300, sampling);
        Assert.Equal(new long[] { 300, 2 }, a.shape);
        Assert.True(a.eq(b).all().item<bool>());
        using var theta = a.narrow(0, 0, 5);
        using var xRow = tensor(x, dtype: ScalarType.Float32).unsqueeze(0);
        using var p = posterior.LogProb(theta);
        using var q = estimator.LogProb(theta, xRow);
        Assert.True(p.allclose(q));
        using var drawn = posterior.Draw(10, sampling);
        Assert.Equal(16, drawn.NetworkEvaluations); // Heun-8: two evaluations per step, counted in the run
    }

    [Fact]
    public void Condition_BadX_IsRefusedNamingIt()
    {
        using var estimator = new DiffusionPosteriorEstimator(2, 3, DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 16, Blocks = 1 } });
        var e = Assert.Throws<ArgumentException>(() => estimator.Condition(new[] { 1.0, 2.0 }));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("must have 3 values", e.Message);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => estimator.Condition(new[] { 1.0, double.NaN, 0 })).ParamName);
    }
}
