using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Noise;

public class EdmScheduleTests
{
    [Theory]
    [InlineData(VarianceForm.Preserving)]
    [InlineData(VarianceForm.Exploding)]
    public void Schedule_EndPointsMonotoneAndConsistent(VarianceForm form)
    {
        var s = new EdmSchedule(EdmScheduleOptions.Default with { Form = form });
        Assert.Equal(-2 * Math.Log(80), s.LogSnr(1), 9);
        Assert.Equal(-2 * Math.Log(1e-4), s.LogSnr(0), 9);
        double previous = double.PositiveInfinity;
        for (int i = 0; i <= 100; i++)
        {
            var t = i / 100.0;
            var lambda = s.LogSnr(t);
            Assert.True(lambda < previous);
            previous = lambda;
            var (alpha, sigma) = s.Scales(lambda);
            Assert.True(alpha > 0 && sigma > 0);
            Assert.Equal(lambda, Math.Log(alpha * alpha / (sigma * sigma)), 6);
            var numeric = (s.LogSnr(Math.Min(1, t + 1e-6)) - s.LogSnr(Math.Max(0, t - 1e-6))) / (Math.Min(1, t + 1e-6) - Math.Max(0, t - 1e-6));
            Assert.Equal(numeric, s.LogSnrDerivative(t), 3);
            var dLogAlpha = (Math.Log(s.Scales(lambda + 1e-5).Alpha) - Math.Log(s.Scales(lambda - 1e-5).Alpha)) / 2e-5;
            Assert.Equal(dLogAlpha, s.LogAlphaDerivative(lambda), 5);
        }
    }

    [Fact]
    public void TrainingLogSnr_IsGaussian24Clipped()
    {
        var s = new EdmSchedule();
        using var u = rand(new long[] { 200_000 }, generator: new Generator(1));
        using var lambda = s.TrainingLogSnr(u);
        Assert.InRange(lambda.mean().item<float>(), 2.35f, 2.45f);
        Assert.InRange(lambda.std().item<float>(), 2.35f, 2.45f);
        using var edges = s.TrainingLogSnr(tensor(new[] { 0f, 1f }));
        Assert.InRange(edges[0].item<float>(), s.LogSnrMin - 1.0001, 0);
        Assert.InRange(edges[1].item<float>(), 5, s.LogSnrMax + 1.0001);
        // Far tails are clipped to [λ_min − 1, λ_max + 1].
        var high = new EdmSchedule(EdmScheduleOptions.Default with { TrainingLogSnrMean = 60 });
        var low = new EdmSchedule(EdmScheduleOptions.Default with { TrainingLogSnrMean = -60 });
        using var half = ScalarMath.Full(1, 0.5f);
        Assert.Equal(s.LogSnrMax + 1, high.TrainingLogSnr(half).item<float>(), 4);
        Assert.Equal(s.LogSnrMin - 1, low.TrainingLogSnr(half).item<float>(), 4);
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EdmSchedule(EdmScheduleOptions.Default with { SigmaMin = 100 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EdmSchedule(EdmScheduleOptions.Default with { Rho = -1 }));
    }
}
