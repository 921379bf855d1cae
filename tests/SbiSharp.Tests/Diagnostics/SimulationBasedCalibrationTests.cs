using SbiSharp.Diagnostics;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Diagnostics;

public class SimulationBasedCalibrationTests
{
    [Fact]
    public void Compute_ExactPosterior_PassesAndStaysInBands()
    {
        var (samples, truths) = ConjugateDraws.Make(500, 99, 2, seed: 7);
        using var s = samples;
        using var t = truths;
        var r = SimulationBasedCalibration.Compute(s, t);
        for (int p = 0; p < 2; p++)
        {
            Assert.True(r.LogGammaStatistic[p] > 0, $"log-gamma statistic {r.LogGammaStatistic[p]} for a calibrated posterior");
            Assert.True(r.WithinBands(p));
            Assert.InRange(r.MaxAbsDifference[p], 0, 0.08);
        }
        Assert.All(r.Ranks, row => Assert.All(row, k => Assert.InRange(k, 0, 99)));
    }

    [Theory]
    [InlineData(0.6, 0.0)]
    [InlineData(1.6, 0.0)]
    [InlineData(1.0, 0.5)]
    public void Compute_WrongPosterior_IsRejected(double width, double shift)
    {
        var (samples, truths) = ConjugateDraws.Make(500, 99, 1, seed: 8, widthFactor: width, shift: shift);
        using var s = samples;
        using var t = truths;
        var r = SimulationBasedCalibration.Compute(s, t);
        Assert.True(r.LogGammaStatistic[0] < 0, $"log-gamma statistic {r.LogGammaStatistic[0]} for width {width}, shift {shift}");
        Assert.False(r.WithinBands(0));
    }

    [Fact]
    public void Compute_MoreDrawsThanTestSets_StaysFinite()
    {
        // Regression: with n > N the top cut-off often has every rank below it (count = N), where MathNet's CDF is NaN.
        var (samples, truths) = ConjugateDraws.Make(100, 200, 1, seed: 9);
        using var s = samples;
        using var t = truths;
        var r = SimulationBasedCalibration.Compute(s, t);
        Assert.True(double.IsFinite(r.LogGammaStatistic[0]) && r.LogGammaStatistic[0] > 0, $"log-gamma statistic {r.LogGammaStatistic[0]}");
        Assert.True(r.WithinBands(0));
    }

    [Fact]
    public void Bands_AreSimultaneous_AtTheStatedConfidence()
    {
        // 200 calibrated replications: the fraction whose whole ECDF stays inside the bands is about 0.95.
        int inside = 0, replications = 200;
        for (int k = 0; k < replications; k++)
        {
            var (samples, truths) = ConjugateDraws.Make(100, 30, 1, seed: 100 + k);
            using var s = samples;
            using var t = truths;
            if (SimulationBasedCalibration.Compute(s, t, new SbcOptions { NullSimulations = 500 }).WithinBands(0)) inside++;
        }
        Assert.InRange(inside / (double)replications, 0.91, 0.99);
    }

    [Fact]
    public void Compute_BadOptions_NamesTheField()
    {
        using var s = zeros(5, 10, 1);
        using var t = zeros(5, 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SimulationBasedCalibration.Compute(s, t, new SbcOptions { Confidence = 1.5 }));
        Assert.Equal("Confidence", e.ParamName);
    }
}
