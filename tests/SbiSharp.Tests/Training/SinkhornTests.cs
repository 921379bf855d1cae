using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Training;

public class SinkhornTests
{
    [Fact]
    public void LogPlan_HasUniformMarginals()
    {
        using var generator = new Generator(1);
        using var a = randn(new long[] { 64, 3 }, generator: generator);
        using var b = randn(new long[] { 64, 3 }, generator: generator);
        using var raw = cdist(a, b).Square().to(ScalarType.Float64);
        using var cost = raw / raw.mean();
        using var logPlan = Sinkhorn.LogPlan(cost, OptimalTransportOptions.Default with { MaxIterations = 500, Tolerance = 1e-6 }, out var iterations);
        using var plan = logPlan.exp();
        Assert.True(plan.sum(new long[] { 1 }).allclose(ScalarMath.Full(64, 1.0 / 64, dtype: ScalarType.Float64), rtol: 1e-4, atol: 1e-8), "row sums");
        Assert.True(plan.sum(new long[] { 0 }).allclose(ScalarMath.Full(64, 1.0 / 64, dtype: ScalarType.Float64), rtol: 1e-4, atol: 1e-8), "column sums");
        Assert.True(iterations < 500);
    }

    [Fact]
    public void Pairing_ShortensTheTransportComparedWithIndependentPairs()
    {
        using var generator = new Generator(2);
        using var theta = randn(new long[] { 256, 2 }, generator: generator).Add(2);
        using var noise = randn(new long[] { 256, 2 }, generator: generator);
        using var x = zeros(256, 1);
        using var pairing = Sinkhorn.Pairing(theta, noise, x, OptimalTransportOptions.Default, generator);
        using var paired = noise.index_select(0, pairing);
        var independent = (theta - noise).Square().sum(1).mean().item<float>();
        var coupled = (theta - paired).Square().sum(1).mean().item<float>();
        Assert.True(coupled < 0.75 * independent, $"OT pairing cost {coupled:F3} vs independent {independent:F3}");
    }

    [Fact]
    public void Pairing_Conditional_KeepsNoiseWithinTheSameObservation()
    {
        // Two groups of observations far apart: conditional OT must pair each row with noise drawn for its own group,
        // so that, per group, the noise stays a standard normal sample instead of being sorted across groups.
        using var generator = new Generator(3);
        using var theta = randn(new long[] { 200, 1 }, generator: generator);
        using var noise = randn(new long[] { 200, 1 }, generator: generator);
        using var x = cat(new[] { zeros(100, 1), ScalarMath.Full(100, 1, 10f) }, 0);
        using var pairing = Sinkhorn.Pairing(theta, noise, x, OptimalTransportOptions.Conditional, generator);
        var index = pairing.data<long>().ToArray();
        var crossings = Enumerable.Range(0, 200).Count(i => (i < 100) != (index[i] < 100));
        Assert.True(crossings <= 2, $"{crossings} rows took noise from the other observation group");
        using var plain = Sinkhorn.Pairing(theta, noise, x, OptimalTransportOptions.Default, generator);
        var plainIndex = plain.data<long>().ToArray();
        Assert.True(Enumerable.Range(0, 200).Count(i => (i < 100) != (plainIndex[i] < 100)) > 20, "plain OT should ignore the observation");
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => (OptimalTransportOptions.Default with { Regularization = 0 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (OptimalTransportOptions.Default with { ConditionWeight = -1 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (OptimalTransportOptions.Default with { MaxIterations = 0 }).Validate());
    }
}
