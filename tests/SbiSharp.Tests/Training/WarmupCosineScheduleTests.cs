using SbiSharp.Training;

namespace SbiSharp.Tests.Training;

public class WarmupCosineScheduleTests
{
    [Fact]
    public void At_WarmsUpLinearlyThenDecaysToZero()
    {
        var s = new WarmupCosineSchedule(1e-3, 1000, 0.05, 0.1);
        Assert.Equal(1e-4, s.At(0), 12);
        Assert.Equal(1e-3 * (0.1 + 0.9 * 25 / 50.0), s.At(25), 12);
        Assert.Equal(1e-3, s.At(50), 12);
        Assert.Equal(0.5e-3, s.At(525), 9);
        Assert.Equal(0, s.At(1000), 12);
        for (int k = 51; k < 1000; k++) Assert.True(s.At(k) <= s.At(k - 1));
    }
}
