using SbiSharp.Priors;
using SbiSharp.Simulators;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Simulators;

public class SimulatorTests
{
    private static readonly IPrior Prior = DiagonalGaussianPrior.Isotropic(2, 1.0);

    private static PerSampleSimulator Noisy() => new(2, 2, (theta, random) => new[] { theta[0] + random.NextDouble(), theta[0] * theta[1] });

    [Fact]
    public void PerSample_SameSeed_SameOutputRegardlessOfThreads()
    {
        using var theta = Prior.Sample(5000, new Generator(1));
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        using var a = Noisy().Simulate(theta, g1);
        using var b = new PerSampleSimulator(2, 2, (t, r) => new[] { t[0] + r.NextDouble(), t[0] * t[1] }, maxParallelism: 1).Simulate(theta, g2);
        Assert.True(a.eq(b).all().item<bool>());
        using var expected = theta[.., 0] * theta[.., 1];
        Assert.True(allclose(a[.., 1], expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void PerSample_WrongLength_NamesRowAndTheta()
    {
        var simulator = new PerSampleSimulator(2, 3, (t, _) => t.Length > 0 && t[0] > 100 ? new double[2] : new double[3]);
        using var theta = tensor(new[] { 0.0f, 0f, 1f, 1f, 200f, 3f }, new long[] { 3, 2 });
        var e = Assert.Throws<SimulationException>(() => simulator.Simulate(theta));
        Assert.Equal(2, e.Row);
        Assert.Contains("row 2", e.Message);
        Assert.Contains("200", e.Message);
    }

    [Fact]
    public void Joint_NaNFromSimulator_ThrowsNamingRowAndTheta()
    {
        var simulator = new TensorSimulator(2, 1, (t, _) => t[.., 0..1].log());
        using var theta = tensor(new[] { 1.0f, 0f, -2f, 5f }, new long[] { 2, 2 });
        using var x = simulator.Simulate(theta);
        var e = Assert.Throws<SimulationException>(() => JointSampler.Validate(theta, x, 1, InvalidSimulationPolicy.Throw));
        Assert.Equal(1, e.Row);
        Assert.Contains("row 1", e.Message);
        Assert.Contains("-2", e.Message);
    }

    [Fact]
    public void Joint_DropPolicy_DropsAndCountsInvalidRows()
    {
        var simulator = new TensorSimulator(2, 1, (t, _) => t[.., 0..1].log());
        var joint = new JointSampler(Prior, simulator, InvalidSimulationPolicy.Drop);
        using var batch = joint.Sample(10_000, new Generator(3));
        Assert.InRange(batch.Dropped, 4500, 5500);
        Assert.Equal(10_000 - batch.Dropped, batch.Count);
        Assert.True(isfinite(batch.X).all().item<bool>());
        Assert.True((batch.Theta[.., 0].Gt(0)).all().item<bool>());
    }

    [Fact]
    public void Joint_WrongOutputShape_Throws()
    {
        var simulator = new TensorSimulator(2, 3, (t, _) => t.clone());
        var joint = new JointSampler(Prior, simulator);
        var e = Assert.Throws<SimulationException>(() => joint.Sample(8));
        Assert.Contains("(8, 3)", e.Message);
        Assert.Contains("(8, 2)", e.Message);
    }

    [Fact]
    public void Joint_DimensionMismatch_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new JointSampler(Prior, new TensorSimulator(3, 1, (t, _) => t)));
        Assert.Contains("dimension 2", e.Message);
        Assert.Contains("3 parameters", e.Message);
    }
}
