using SbiSharp.Diagnostics;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Diagnostics;

public class C2stTests
{
    private static double Phi(double z) => 0.5 * (1 + Erf(z / Math.Sqrt(2)));

    private static double Erf(double z)
    {
        // Abramowitz & Stegun 7.1.26, |error| < 1.5e-7.
        double t = 1 / (1 + 0.3275911 * Math.Abs(z));
        double y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-z * z);
        return Math.Sign(z) * y;
    }

    [Fact]
    public void Score_SameDistribution_IsAboutHalf()
    {
        using var g = new Generator(5);
        using var x = randn(new long[] { 5000, 2 }, generator: g);
        using var y = randn(new long[] { 5000, 2 }, generator: g);
        var result = C2st.Score(x, y);
        Assert.InRange(result.Accuracy, 0.48, 0.53);
        Assert.Equal(5, result.FoldAccuracies.Count);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Score_ShiftedUnitGaussians_ReachBayesAccuracy(double delta)
    {
        // Two unit Gaussians whose means differ by δ: the Bayes-optimal accuracy is Φ(δ/2).
        using var g = new Generator(6);
        using var x = randn(new long[] { 5000, 2 }, generator: g);
        using var y = randn(new long[] { 5000, 2 }, generator: g) + tensor(new[] { (float)delta, 0f });
        var result = C2st.Score(x, y);
        Assert.InRange(result.Accuracy, Phi(delta / 2) - 0.02, Phi(delta / 2) + 0.015);
    }

    [Fact]
    public void Score_SameSeed_IsDeterministic()
    {
        using var g = new Generator(7);
        using var x = randn(new long[] { 1000, 3 }, generator: g);
        using var y = randn(new long[] { 1000, 3 }, generator: g) * 1.5;
        Assert.Equal(C2st.Score(x, y).Accuracy, C2st.Score(x, y).Accuracy);
    }

    [Fact]
    public void Score_UnevenFolds_Works()
    {
        using var g = new Generator(8);
        using var x = randn(new long[] { 1003, 2 }, generator: g);
        using var y = randn(new long[] { 998, 2 }, generator: g) + 3;
        Assert.InRange(C2st.Score(x, y).Accuracy, 0.9, 1.0);
    }

    [Fact]
    public void Score_BadInputs_Throw()
    {
        using var a = zeros(100, 2);
        using var b = zeros(100, 3);
        Assert.Contains("(m, 2)", Assert.Throws<ArgumentException>(() => C2st.Score(a, b)).Message);
        using var nan = full(100, 2, float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => C2st.Score(a, nan)).Message);
        using var tiny = zeros(3, 2);
        Assert.Contains("at least 5 rows", Assert.Throws<ArgumentException>(() => C2st.Score(tiny, a)).Message);
    }
}
