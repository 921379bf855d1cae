using System.Text.Json;
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using SbiSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Estimators;

[Collection(ForcedGcCollection.Name)]
public class EstimatorTests
{
    private static readonly DiffusionEstimatorOptions Small = DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 32, Blocks = 2 } };
    private static readonly TrainingOptions Quick = TrainingOptions.Default with { Epochs = 2, BatchSize = 128 };

    private static DiffusionPosteriorEstimator TrainedSmall(out InMemoryDataset data)
    {
        var task = GaussianLinearTask.Create(3);
        data = InMemoryDataset.Simulate(task.Joint(), 1000, new Generator(1));
        var estimator = new DiffusionPosteriorEstimator(3, 3, Small);
        estimator.Train(data, Quick);
        return estimator;
    }

    [Fact]
    public void SaveLoad_SameSeed_IdenticalSamples()
    {
        using var estimator = TrainedSmall(out var data);
        data.Dispose();
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-{Guid.NewGuid():N}.sbis");
        try
        {
            estimator.Save(path);
            using var loaded = DiffusionPosteriorEstimator.Load(path);
            var options = new SamplingOptions { Sampler = new EulerMaruyamaSampler(20), Seed = 123 };
            using var x = tensor(new[] { 0.1f, -0.2f, 0.3f, 0.5f, 0.5f, 0.5f }, new long[] { 2, 3 });
            using var a = estimator.Sample(x, 50, options);
            using var b = loaded.Sample(x, 50, options);
            Assert.Equal(new long[] { 2, 50, 3 }, a.shape);
            Assert.True(a.eq(b).all().item<bool>());
            Assert.Equal(estimator.ThetaStandardizer.Mean, loaded.ThetaStandardizer.Mean);
            Assert.True(loaded.IsTrained);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Sample_SameSeedSameSamples_DifferentSeedDifferent()
    {
        using var estimator = TrainedSmall(out var data);
        data.Dispose();
        var x = new[] { 0.1, 0.2, 0.3 };
        using var a = estimator.Sample(x, 20, SamplingOptions.Default with { Seed = 1 });
        using var b = estimator.Sample(x, 20, SamplingOptions.Default with { Seed = 1 });
        using var c = estimator.Sample(x, 20, SamplingOptions.Default with { Seed = 2 });
        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
    }

    [Fact]
    public void Load_TruncatedFile_SaysTruncated()
    {
        using var estimator = new DiffusionPosteriorEstimator(2, 2, Small);
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-{Guid.NewGuid():N}.sbis");
        try
        {
            estimator.Save(path);
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            var e = Assert.Throws<InvalidDataException>(() => DiffusionPosteriorEstimator.Load(path));
            Assert.Contains("truncated", e.Message);
            File.WriteAllText(path, "hello");
            e = Assert.Throws<InvalidDataException>(() => DiffusionPosteriorEstimator.Load(path));
            Assert.Contains("not an SbiSharp model file", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<FileNotFoundException>(() => DiffusionPosteriorEstimator.Load(path));
    }

    [Fact]
    public void Load_WeightsOfAnotherArchitecture_NamesTheMismatch()
    {
        using var wide = new DiffusionPosteriorEstimator(2, 2, Small with { Network = ((NetworkOptions)Small.Network) with { Width = 48 } });
        using var narrow = new DiffusionPosteriorEstimator(2, 2, Small);
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-{Guid.NewGuid():N}.sbis");
        try
        {
            // A file whose header describes width 48 but whose weights come from a width-32 network.
            var header = new ModelHeader(2, 2, wide.Options, wide.ThetaStandardizer, wide.XStandardizer, new[] { "a", "b" }, new[] { "c", "d" }, false);
            var network = (TorchSharp.torch.nn.Module)narrow.Denoiser.Network;
            ModelFile.Write(path, "diffusion-posterior-estimator", JsonSerializer.Serialize(header, ModelFile.Json), new[] { ("network", network), ("ema", network) });
            var e = Assert.Throws<InvalidDataException>(() => DiffusionPosteriorEstimator.Load(path));
            Assert.Contains("different architecture", e.Message);
            Assert.Contains("(32", e.Message);
            ModelFile.Write(path, "flow-matching-estimator", JsonSerializer.Serialize(header, ModelFile.Json), new[] { ("network", network) });
            e = Assert.Throws<InvalidDataException>(() => DiffusionPosteriorEstimator.Load(path));
            Assert.Contains("flow-matching-estimator", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Sample_BadObservations_ClearErrors()
    {
        using var estimator = new DiffusionPosteriorEstimator(3, 2, Small);
        using var wrong = zeros(4, 3);
        var e = Assert.Throws<ArgumentException>(() => estimator.Sample(wrong, 10));
        Assert.Contains("(4, 3)", e.Message);
        using var nan = tensor(new[] { 0f, float.NaN }, new long[] { 1, 2 });
        e = Assert.Throws<ArgumentException>(() => estimator.Sample(nan, 10));
        Assert.Contains("NaN", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Sample(new[] { 0.0, 0.0 }, 0));
        Assert.Throws<ArgumentException>(() => estimator.Sample(new[] { 0.0 }, 5));
    }

    [Fact]
    public void Train_DimensionMismatch_Throws()
    {
        using var estimator = new DiffusionPosteriorEstimator(3, 2, Small);
        using var data = new InMemoryDataset(zeros(10, 3), zeros(10, 3));
        var e = Assert.Throws<ArgumentException>(() => estimator.Train(data, Quick));
        Assert.Contains("Dx = 3", e.Message);
    }

    [Fact]
    public void Train_HugeLearningRate_ThrowsDivergedNotNaNModel()
    {
        var task = GaussianLinearTask.Create(2);
        using var data = InMemoryDataset.Simulate(task.Joint(), 2000, new Generator(1));
        using var estimator = new DiffusionPosteriorEstimator(2, 2, Small);
        var e = Assert.Throws<TrainingDivergedException>(() => estimator.Train(data, Quick with { Epochs = 20, LearningRate = 1e12, WarmupFraction = 0, GradientClipNorm = 1e30 }));
        Assert.Contains("diverged", e.Message);
    }

    [Fact]
    public void Train_SameSeeds_GivesIdenticalSamplesWhateverTheGlobalGenerator()
    {
        var task = GaussianLinearTask.Create(2);
        Tensor TrainAndSample(int globalDraws)
        {
            // Consume torch's global generator differently before each run: nothing seeded may depend on it.
            randn(globalDraws).Dispose();
            using var data = InMemoryDataset.Simulate(task.Joint(), 600, new Generator(1));
            using var estimator = new DiffusionPosteriorEstimator(2, 2, Small with { Network = ((NetworkOptions)Small.Network) with { Dropout = 0.1 } });
            estimator.Train(data, Quick);
            return estimator.Sample(new[] { 0.3, -0.2 }, 50, new SamplingOptions { Sampler = new EulerMaruyamaSampler(10), Seed = 2 });
        }
        using (var e1 = new DiffusionPosteriorEstimator(2, 2, Small))
        {
            randn(7).Dispose();
            using var e2 = new DiffusionPosteriorEstimator(2, 2, Small);
            var p1 = Path.GetTempFileName();
            var p2 = Path.GetTempFileName();
            e1.Save(p1);
            e2.Save(p2);
            Assert.True(File.ReadAllBytes(p1).SequenceEqual(File.ReadAllBytes(p2)), "the initial weights must depend only on InitializationSeed");
            File.Delete(p1);
            File.Delete(p2);
        }
        using var a = TrainAndSample(1);
        using var b = TrainAndSample(1000);
        Assert.True(a.eq(b).all().item<bool>(), "same seeds must give the same model and samples");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainAndSample_LeaveNoLiveTensors(bool importanceSampledNoise)
    {
        var task = GaussianLinearTask.Create(2);
        using var data = InMemoryDataset.Simulate(task.Joint(), 600, new Generator(1));
        using var estimator = new DiffusionPosteriorEstimator(2, 2, Small with { ImportanceSampledNoise = importanceSampledNoise });
        using var x = ones(3, 2);
        // Warm-up run so lazily created state (optimizer internals, caches) is not counted.
        estimator.Train(data, Quick with { Epochs = 1 });
        estimator.Sample(x, 10).Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        estimator.Train(data, Quick);
        estimator.Sample(x, 10, new SamplingOptions { Sampler = new HeunSampler(5), ChunkSize = 7 }).Dispose();
        estimator.Sample(new[] { 1.0, 2.0 }, 10).Dispose();
        foreach (var sampler in new DiffusionSampler[] { AdaptiveRungeKuttaSampler.DormandPrince(AdaptiveStepOptions.Default), new AdaptiveSdeSampler(), new DpmSolverPlusPlusSampler(5), new LangevinCorrectorSampler(5) })
            estimator.Sample(x, 10, new SamplingOptions { Sampler = sampler }).Dispose();
        using (var theta = zeros(4, 2))
        using (var one = x.narrow(0, 0, 1))
            estimator.LogProb(theta, one, new LogDensityOptions { Steps = 4 }).Dispose();
        var after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.Equal(before, after);
    }
}
