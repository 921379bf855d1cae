using SbiSharp.Diagnostics;

namespace SbiSharp.Tests.Diagnostics;

public class RandomWalkMetropolisTests
{
    [Fact]
    public void Run_CorrelatedGaussian_RecoversMeanAndCovariance()
    {
        // N((1, −2), [[1, 0.8], [0.8, 1]]), precision = [[1, −0.8], [−0.8, 1]] / 0.36.
        double LogDensity(double[] t)
        {
            double a = t[0] - 1, b = t[1] + 2;
            return -0.5 * (a * a - 1.6 * a * b + b * b) / 0.36;
        }
        var result = new RandomWalkMetropolis(LogDensity, new RandomWalkMetropolisOptions { Draws = 20_000, BurnIn = 5_000, Thin = 10, Seed = 3 }).Run(new[] { 0.0, 0.0 });
        var m0 = result.Draws.Average(d => d[0]);
        var m1 = result.Draws.Average(d => d[1]);
        var v0 = result.Draws.Average(d => (d[0] - m0) * (d[0] - m0));
        var c01 = result.Draws.Average(d => (d[0] - m0) * (d[1] - m1));
        Assert.InRange(m0, 0.95, 1.05);
        Assert.InRange(m1, -2.05, -1.95);
        Assert.InRange(v0, 0.9, 1.1);
        Assert.InRange(c01, 0.7, 0.9);
        Assert.InRange(result.AcceptanceRate, 0.15, 0.35);
    }

    [Fact]
    public void Run_StartOutsideSupport_ThrowsClearly()
    {
        var sampler = new RandomWalkMetropolis(t => t[0] < 0 ? double.NegativeInfinity : -t[0]);
        var e = Assert.Throws<ArgumentException>(() => sampler.Run(new[] { -1.0 }));
        Assert.Contains("zero density", e.Message);
    }
}
