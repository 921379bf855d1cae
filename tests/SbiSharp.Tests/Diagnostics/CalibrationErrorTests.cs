using SbiSharp.Diagnostics;

namespace SbiSharp.Tests.Diagnostics;

public class CalibrationErrorTests
{
    [Fact]
    public void Compute_ExactPosteriorIsSmall_WrongWidthIsLarge()
    {
        var (good, truths) = ConjugateDraws.Make(1000, 200, 2, seed: 11);
        var (narrow, truths2) = ConjugateDraws.Make(1000, 200, 2, seed: 11, widthFactor: 0.5);
        using var a = good;
        using var b = narrow;
        using var t = truths;
        using var t2 = truths2;
        var exact = CalibrationError.Compute(a, t);
        var wrong = CalibrationError.Compute(b, t2);
        Assert.All(exact.Error, e => Assert.InRange(e, 0, 0.03));
        // sd halved: the central 50 % interval covers P(|Z| < 0.337) = 0.26, so the median error is about 0.2.
        Assert.All(wrong.Error, e => Assert.InRange(e, 0.12, 0.3));
        Assert.Equal(CalibrationError.DefaultResolution, exact.Coverage.Levels.Count);
    }
}
