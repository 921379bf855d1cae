using SbiSharp.Diagnostics;
using static TorchSharp.torch;
using SbiSharp.Torch;

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
        using var y = randn(new long[] { 5000, 2 }, generator: g).Plus(tensor(new[] { (float)delta, 0f }));
        var result = C2st.Score(x, y);
        Assert.InRange(result.Accuracy, Phi(delta / 2) - 0.02, Phi(delta / 2) + 0.015);
    }

    [Fact]
    public void Score_SameSeed_IsDeterministic()
    {
        using var g = new Generator(7);
        using var x = randn(new long[] { 1000, 3 }, generator: g);
        using var y = randn(new long[] { 1000, 3 }, generator: g).Mul(1.5);
        Assert.Equal(C2st.Score(x, y).Accuracy, C2st.Score(x, y).Accuracy);
    }

    [Fact]
    public void Score_UnevenFolds_Works()
    {
        using var g = new Generator(8);
        using var x = randn(new long[] { 1003, 2 }, generator: g);
        using var y = randn(new long[] { 998, 2 }, generator: g).Add(3);
        Assert.InRange(C2st.Score(x, y).Accuracy, 0.9, 1.0);
    }

    [Fact]
    public void Score_BadInputs_Throw()
    {
        using var a = zeros(100, 2);
        using var b = zeros(100, 3);
        Assert.Contains("(m, 2)", Assert.Throws<ArgumentException>(() => C2st.Score(a, b)).Message);
        using var nan = ScalarMath.Full(100, 2, float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => C2st.Score(a, nan)).Message);
        using var tiny = zeros(3, 2);
        Assert.Contains("at least 5 rows", Assert.Throws<ArgumentException>(() => C2st.Score(tiny, a)).Message);
    }
}

public class MmdTests
{
    [Theory]
    [InlineData(MmdKernel.Gaussian)]
    [InlineData(MmdKernel.InverseMultiquadric)]
    public void Squared_SameDistributionNearZero_ShiftedClearlyPositive(MmdKernel kernel)
    {
        using var g = new Generator(3);
        using var x = randn(new long[] { 1500, 2 }, generator: g);
        using var y = randn(new long[] { 1500, 2 }, generator: g);
        using var z = randn(new long[] { 1500, 2 }, generator: g).Add(1);
        var same = Mmd.Squared(x, y, kernel).Value;
        var shifted = Mmd.Squared(x, z, kernel).Value;
        Assert.True(Math.Abs(same) < 0.1 * shifted, $"same {same}, shifted {shifted}");
        Assert.True(shifted > 0);
    }

    [Fact]
    public void Squared_GaussianKernel_MatchesClosedForm()
    {
        // For N(0, I) vs N(μ, I) in 1-D with bandwidth h: MMD² = 2h/√(h²+2) (1 − exp(−μ²/(2(h²+2)))).
        using var g = new Generator(4);
        using var x = randn(new long[] { 4000, 1 }, generator: g);
        using var y = randn(new long[] { 4000, 1 }, generator: g).Add(1.5);
        var result = Mmd.Squared(x, y);
        var h = result.Bandwidth;
        var exact = 2 * h / Math.Sqrt(h * h + 2) * (1 - Math.Exp(-1.5 * 1.5 / (2 * (h * h + 2))));
        Assert.InRange(result.Value, exact * 0.93, exact * 1.07);
    }

    [Fact]
    public void Squared_BadInputs_Throw()
    {
        using var a = zeros(10, 2);
        using var b = zeros(10, 3);
        Assert.Throws<ArgumentException>(() => Mmd.Squared(a, b));
        using var one = zeros(1, 2);
        Assert.Throws<ArgumentException>(() => Mmd.Squared(one, a));
    }
}
