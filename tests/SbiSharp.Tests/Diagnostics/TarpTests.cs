using SbiSharp.Diagnostics;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Diagnostics;

public class TarpTests
{
    [Fact]
    public void Compute_ExactPosterior_FollowsTheDiagonal()
    {
        var (samples, truths) = ConjugateDraws.Make(2000, 200, 3, seed: 21);
        using var s = samples;
        using var t = truths;
        var r = Tarp.Compute(s, t);
        Assert.InRange(r.MaxDeviation, 0, 0.05);
        Assert.Equal(0, r.ExpectedCoverage[0]);
        Assert.Equal(1, r.ExpectedCoverage[^1]);
    }

    [Theory]
    [InlineData(0.5, -1)]
    [InlineData(2.0, 1)]
    public void Compute_WrongWidth_DeviatesWithTheDocumentedSign(double width, int sign)
    {
        var (samples, truths) = ConjugateDraws.Make(2000, 200, 3, seed: 22, widthFactor: width);
        using var s = samples;
        using var t = truths;
        var r = Tarp.Compute(s, t);
        Assert.True(r.MaxDeviation > 0.1, $"max deviation {r.MaxDeviation}");
        Assert.Equal(sign, Math.Sign(r.AreaToCurve));
    }

    [Fact]
    public void Compute_BadInput_NamesTheParameter()
    {
        using var samples = TorchSharp.torch.zeros(4, 10, 2);
        using var truths = TorchSharp.torch.zeros(4, 2);
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => Tarp.Compute(samples, truths, bins: 1)).ParamName);
        using var wrong = TorchSharp.torch.zeros(4, 3);
        Assert.Equal("truths", Assert.Throws<ArgumentException>(() => Tarp.Compute(samples, wrong)).ParamName);
        using var nan = ScalarMath.Full(new long[] { 4, 10, 2 },float.NaN);
        Assert.Contains("samples", Assert.ThrowsAny<ArgumentException>(() => Tarp.Compute(nan, truths)).Message);
        Assert.Equal("resolution", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationError.Compute(samples, truths, resolution: 1)).ParamName);
    }
}
