using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Priors;
using SbiSharp.Sampling;
using SbiSharp.Training;
using TorchSharp;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Estimators;

/// <summary>An ensemble is the equal-weight mixture of its members: its draws are theirs, shuffled; its density is their log-sum-exp.</summary>
public class PosteriorEnsembleTests
{
    private static DiffusionEstimatorOptions Small => DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 32, Blocks = 1 } };
    private static readonly TrainingOptions Quick = TrainingOptions.Default with { Epochs = 3, BatchSize = 128, EarlyStoppingPatience = 0 };
    private static readonly SamplingOptions Fast = SamplingOptions.Default with { Sampler = new DpmSolverPlusPlusSampler(8), Seed = 4 };
    private static readonly BoxUniformPrior Prior = new(new[] { -1.0, -1.0 }, new[] { 1.0, 1.0 });

    private static (PosteriorEnsemble Ensemble, IReadOnlyList<TrainingResult> Results) Trained(int members)
    {
        using var g = new Generator(2);
        using var theta = Prior.Sample(1_000, g);
        using var noise = randn(theta.shape, generator: g);
        using var x = theta.Plus(noise.Mul(0.3));
        using var data = new InMemoryDataset(theta, x);
        var ensemble = PosteriorEnsemble.Create(Prior, 2, members, Small);
        var results = ensemble.Train(data, Quick);
        return (ensemble, results);
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var eq = a.eq(b);
        using var all = eq.all();
        return a.shape.SequenceEqual(b.shape) && all.item<bool>();
    }

    [Fact]
    public void Draw_IsTheMembersDrawsShuffled_AndLogProbTheirLogSumExp()
    {
        var (ensemble, results) = Trained(2);
        using var _ = ensemble;
        Assert.Equal(2, results.Count);
        // Independently seeded: different initial weights and data order give different members.
        using var x = tensor(new double[,] { { 0.2, -0.4 }, { 0.9, 0.1 } }, ScalarType.Float32);
        using var drawn = ensemble.Draw(x, 101, Fast);
        Assert.Equal(new long[] { 2, 101, 2 }, drawn.Samples.shape);
        using var a = ensemble.Members[0].Sample(x, 51, Fast with { Seed = 4 });
        using var b = ensemble.Members[1].Sample(x, 50, Fast with { Seed = 5 });
        using (var sameSeed0 = ensemble.Members[0].Sample(x, 50, Fast))
        using (var sameSeed1 = ensemble.Members[1].Sample(x, 50, Fast))
            Assert.False(Same(sameSeed0, sameSeed1), "members are independently seeded models");
        using var sortedMix = drawn.Samples.select(2, 0).sort(1).Values;
        using var sortedMembers = cat(new[] { a, b }, 1).select(2, 0).sort(1).Values;
        Assert.True(Same(sortedMix, sortedMembers), "the mixture's draws are exactly the members' draws");
        using var again = ensemble.Sample(x, 101, Fast);
        Assert.True(Same(again, drawn.Samples), "same seed, same draws");

        using var theta = tensor(new double[,] { { 0.1, -0.3 }, { 0.5, 0.5 }, { -0.2, 0.0 } }, ScalarType.Float32);
        using var one = x.narrow(0, 0, 1);
        var density = new LogDensityOptions { Steps = 8, SupportDraws = 200 };
        using var mix = ensemble.LogProb(theta, one, density);
        using var q0 = ensemble.Members[0].LogProb(theta, one, density);
        using var q1 = ensemble.Members[1].LogProb(theta, one, density);
        var expected = q0.data<double>().Zip(q1.data<double>(), (u, v) => Math.Log((Math.Exp(u) + Math.Exp(v)) / 2)).ToArray();
        var actual = mix.data<double>().ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], actual[i], 9);
    }

    [Fact]
    public void SaveLoad_GivesIdenticalDraws_AndTheKindIsRecognized()
    {
        var (ensemble, _) = Trained(3);
        using var _e = ensemble;
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-ensemble-{Guid.NewGuid():N}.sbis");
        ensemble.Save(path);
        Assert.True(PosteriorEnsemble.IsEnsembleFile(path));
        using var loaded = PosteriorEnsemble.Load(path);
        Assert.Equal(3, loaded.Members.Count);
        using var x = tensor(new double[,] { { 0.2, -0.4 } }, ScalarType.Float32);
        using var a = ensemble.Sample(x, 40, Fast);
        using var b = loaded.Sample(x, 40, Fast);
        Assert.True(Same(a, b));
        var single = Path.Combine(Path.GetTempPath(), $"sbisharp-single-{Guid.NewGuid():N}.sbis");
        ensemble.Members[0].Save(single);
        Assert.False(PosteriorEnsemble.IsEnsembleFile(single));
        var e = Assert.Throws<InvalidDataException>(() => PosteriorEnsemble.Load(single));
        Assert.Contains("not a 'posterior-ensemble'", e.Message);
        File.Delete(path);
        File.Delete(single);
    }

    [Fact]
    public void BadMembers_AreRefusedNamingTheParameter()
    {
        Assert.Equal("members", Assert.Throws<ArgumentException>(() => new PosteriorEnsemble(Array.Empty<DiffusionPosteriorEstimator>())).ParamName);
        Assert.Equal("members", Assert.ThrowsAny<ArgumentException>(() => PosteriorEnsemble.Create(Prior, 2, 0)).ParamName);
        using var a = new DiffusionPosteriorEstimator(2, 2, Small);
        using var b = new DiffusionPosteriorEstimator(2, 3, Small);
        var e = Assert.Throws<ArgumentException>(() => new PosteriorEnsemble(new[] { a, b }));
        Assert.Equal("members", e.ParamName);
        Assert.Contains("member 2 has (2, 3)", e.Message);
    }

    [Fact]
    public void TrainAndSample_LeaveNoLiveTensors()
    {
        var (ensemble, _) = Trained(2);
        using var _e = ensemble;
        using var x = ones(2, 2).Mul(0.1);
        ensemble.Sample(x, 10, Fast).Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        ensemble.Sample(x, 11, Fast).Dispose();
        using (var theta = zeros(3, 2))
        using (var one = x.narrow(0, 0, 1))
            ensemble.LogProb(theta, one, new LogDensityOptions { Steps = 4, SupportDraws = 50 }).Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
