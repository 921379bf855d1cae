using SbiSharp.Diagnostics;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Diagnostics;

public class RecoveryTests
{
    [Fact]
    public void Compute_ExactPosterior_MatchesAnalyticValues()
    {
        var (samples, truths) = ConjugateDraws.Make(2000, 200, 2, seed: 3);
        using var s = samples;
        using var t = truths;
        using var priorStd = ones(2);
        var r = Recovery.Compute(s, t, priorStd);
        var postVar = ConjugateDraws.PosteriorSd * ConjugateDraws.PosteriorSd;
        for (int p = 0; p < 2; p++)
        {
            // RMSE of the posterior mean is the posterior sd (plus the Monte Carlo error of a 200-draw mean).
            Assert.InRange(r.NormalizedRmse[p], Math.Sqrt(postVar) * 0.95, Math.Sqrt(postVar * 1.005) * 1.05);
            Assert.InRange(r.Contraction[p], 1 - postVar - 0.01, 1 - postVar + 0.01);
            Assert.InRange(r.ZScoreMean[p], -0.06, 0.06);
            Assert.InRange(r.ZScoreStd[p], 0.95, 1.06);
            Assert.InRange(r.Correlation[p], 0.85, 0.95);
        }
        Assert.Equal(2000, r.PosteriorMeans.Count);
    }

    [Fact]
    public void Compute_TooNarrowPosterior_ZScoreSpreadGrows()
    {
        var (samples, truths) = ConjugateDraws.Make(1000, 200, 1, seed: 4, widthFactor: 0.5);
        using var s = samples;
        using var t = truths;
        var r = Recovery.Compute(s, t);
        Assert.InRange(r.ZScoreStd[0], 1.8, 2.2);
    }

    [Fact]
    public void Compute_BadInput_Throws()
    {
        using var samples = zeros(3, 10, 2);
        using var truths = zeros(3, 3);
        var e = Assert.Throws<ArgumentException>(() => Recovery.Compute(samples, truths));
        Assert.Contains("truths", e.Message);
        using var good = zeros(3, 2);
        using var badStd = tensor(new[] { 1f, 0f });
        using var noisy = randn(3, 10, 2);
        Assert.ThrowsAny<ArgumentException>(() => Recovery.Compute(noisy, good, badStd));
    }
}
