using SbiSharp.Data;
using SbiSharp.Training;
using TorchSharp;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Training;

/// <summary>The public trainer trains a module and objective that the library knows nothing about: the seam a new model family uses.</summary>
public class TrainerTests
{
    /// <summary>A user's objective: least squares of θ on x through any module mapping (B, Dx) to (B, Dθ), with input noise drawn from the trainer's generator.</summary>
    private sealed class Regression : ITrainingObjective
    {
        public Tensor Loss(nn.Module network, Tensor theta, Tensor x, Generator? generator)
        {
            using var scope = NewDisposeScope();
            var module = (nn.Module<Tensor, Tensor>)network;
            var jitter = randn(x.shape, generator: generator).Mul(0.01);
            return (module.forward(x.Plus(jitter)) - theta).Square().mean().MoveToOuterDisposeScope();
        }
    }

    /// <summary>θ = 2x + 0.1ε, 2,000 rows.</summary>
    private static InMemoryDataset Data()
    {
        using var generator = new Generator(7);
        using var x = randn(new long[] { 2_000, 1 }, generator: generator);
        using var theta = (x.Mul(2.0)).Plus(randn(new long[] { 2_000, 1 }, generator: generator).Mul(0.1));
        return new InMemoryDataset(theta, x);
    }

    private static readonly TrainingOptions Options = TrainingOptions.Default with { Epochs = 30, BatchSize = 100, LearningRate = 0.05, EarlyStoppingPatience = 5, Seed = 3 };

    private static (float Weight, float Bias, TrainingResult Result) Train(TrainingOptions options, CancellationToken token = default, IProgress<TrainingProgress>? progress = null)
    {
        using var data = Data();
        var network = nn.Linear(1, 1);
        var average = nn.Linear(1, 1);
        using (no_grad())
        {
            network.weight!.zero_();
            network.bias!.zero_();
        }
        using var generator = new Generator((ulong)options.Seed + 2);
        using var split = TrainingData.Resolve(data, null, options, generator);
        var result = new Trainer(network, average, new Regression(), options).Run(split.Training, split.Validation,
            weightDecay: TrainingData.WeightDecay(options, data), progress: progress, cancellationToken: token);
        var weight = average.weight!.item<float>();
        var bias = average.bias!.item<float>();
        network.Dispose();
        average.Dispose();
        return (weight, bias, result);
    }

    [Fact]
    public void Run_UserObjectiveOnAPlainModule_LearnsItAndKeepsTheBestAverage()
    {
        var (weight, bias, result) = Train(Options);
        Assert.InRange(weight, 1.95, 2.05);
        Assert.InRange(bias, -0.05, 0.05);
        // The split validation set decided: its best loss is near the noise floor 0.1² and is the epoch kept.
        Assert.InRange(result.BestValidationLoss, 0.005, 0.02);
        Assert.Equal(result.ValidationLosses.Min(), result.ValidationLosses[result.BestEpoch - 1]);
        Assert.Equal(result.Steps, result.Losses.Count * 18L); // 1,800 training rows after the 10 % split, 100 per batch
    }

    [Fact]
    public void Run_SameSeed_SameWeights_AndResumeEqualsUninterrupted()
    {
        var options = Options with { EarlyStoppingPatience = 0, Epochs = 8, CheckpointInterval = TimeSpan.Zero };
        var first = Train(options);
        Assert.Equal(first.Weight, Train(options).Weight);
        var dir = Directory.CreateTempSubdirectory("sbisharp-trainer-").FullName;
        var withCheckpoints = options with { CheckpointDirectory = dir };
        using var cancel = new CancellationTokenSource();
        var stopped = Train(withCheckpoints, cancel.Token, new SbiSharp.SynchronousProgress<TrainingProgress>(p => { if (p.Epoch == 3) cancel.Cancel(); }));
        Assert.Equal(3, stopped.Result.Losses.Count);
        var resumed = Train(withCheckpoints);
        Assert.NotNull(resumed.Result.ResumedFromStep);
        Assert.Equal(first.Weight, resumed.Weight);
        Assert.Equal(first.Bias, resumed.Bias);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void PlateauSchedule_WarmsUpThenReducesAfterPatience_DownToTheFloor()
    {
        var schedule = new PlateauSchedule(peak: 1.0, warmupSteps: 10, startFactor: 0.1, reduction: 0.5, patience: 2, floor: 0.2);
        Assert.Equal(0.1, schedule.At(0), 12);
        Assert.Equal(0.55, schedule.At(5), 12);
        Assert.Equal(1.0, schedule.At(10));
        Assert.False(schedule.EndEpoch(improved: false));
        Assert.False(schedule.EndEpoch(improved: true)); // an improvement restarts the count
        Assert.False(schedule.EndEpoch(improved: false));
        Assert.True(schedule.EndEpoch(improved: false));
        Assert.Equal(0.5, schedule.At(100));
        Assert.False(schedule.EndEpoch(false));
        Assert.True(schedule.EndEpoch(false));
        Assert.Equal(0.25, schedule.At(100));
        Assert.False(schedule.EndEpoch(false));
        Assert.True(schedule.EndEpoch(false));
        Assert.Equal(0.2, schedule.At(100)); // floor
        Assert.False(schedule.EndEpoch(false));
        Assert.False(schedule.EndEpoch(false));
        Assert.Equal(0.2, schedule.At(100));
    }

    /// <summary>The default stopping rule: no fixed length; the rate is halved on plateaus and early stopping ends the run long before the epoch bound.</summary>
    [Fact]
    public void Run_DefaultSchedule_ReducesOnPlateausAndStopsByPatience()
    {
        var options = TrainingOptions.Default with { BatchSize = 100, LearningRate = 0.05, WarmupSteps = 20, EarlyStoppingPatience = 6, PlateauPatience = 2, Seed = 3 };
        Assert.Equal(LearningRateSchedule.Plateau, options.ResolvedSchedule);
        Assert.Null(options.MaxSteps);
        var (weight, _, result) = Train(options);
        Assert.StartsWith("early stopping", result.StopReason);
        Assert.InRange(result.Losses.Count, 7, 300);
        Assert.InRange(weight, 1.95, 2.05);
        Assert.Equal(result.Losses.Count, result.LearningRates.Count);
        Assert.Equal(0.05, result.LearningRates.Max()); // the peak, reached after the warm-up
        // Halved at least once, never below the floor, and never raised again.
        Assert.True(result.LearningRates[^1] <= 0.025 + 1e-12, $"last rate {result.LearningRates[^1]}");
        Assert.True(result.LearningRates.Min() >= 0.05 * options.MinLearningRateFactor - 1e-12);
        Assert.True(result.LearningRates.Skip(1).Zip(result.LearningRates.Skip(2)).All(p => p.Second <= p.First));
        Assert.Equal(LearningRateSchedule.Cosine, (options with { EarlyStoppingPatience = 0 }).ResolvedSchedule);
        Assert.Equal(LearningRateSchedule.Cosine, (options with { MaxSteps = 1_000 }).ResolvedSchedule);
    }

    [Fact]
    public void Run_PlateauSchedule_ResumeEqualsUninterrupted()
    {
        var options = TrainingOptions.Default with
        {
            BatchSize = 100, LearningRate = 0.05, WarmupSteps = 20, EarlyStoppingPatience = 6, PlateauPatience = 2, Seed = 3, Epochs = 40, CheckpointInterval = TimeSpan.Zero,
        };
        var first = Train(options);
        var firstReduction = first.Result.LearningRates.ToList().FindIndex(r => r < 0.05);
        Assert.True(firstReduction >= 0, "the run must reduce the rate at least once for this test to mean something");
        var dir = Directory.CreateTempSubdirectory("sbisharp-plateau-").FullName;
        var withCheckpoints = options with { CheckpointDirectory = dir };
        using var cancel = new CancellationTokenSource();
        int stopAt = firstReduction + 2; // 1-based epoch after the first reduction
        Train(withCheckpoints, cancel.Token, new SbiSharp.SynchronousProgress<TrainingProgress>(p => { if (p.Epoch == stopAt) cancel.Cancel(); }));
        var resumed = Train(withCheckpoints);
        Assert.NotNull(resumed.Result.ResumedFromStep);
        Assert.Equal(first.Weight, resumed.Weight);
        Assert.Equal(first.Result.LearningRates, resumed.Result.LearningRates);
        Assert.Equal(first.Result.StopReason, resumed.Result.StopReason);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("PlateauFactor", 1.0)]
    [InlineData("PlateauPatience", 0.0)]
    [InlineData("MinLearningRateFactor", 0.0)]
    [InlineData("ImprovementThreshold", -0.1)]
    [InlineData("WarmupSteps", -1.0)]
    [InlineData("MaxSteps", 0.0)]
    public void Validate_BadScheduleSettings_AreRefusedNamingTheField(string field, double value)
    {
        var options = field switch
        {
            "PlateauFactor" => TrainingOptions.Default with { PlateauFactor = value },
            "PlateauPatience" => TrainingOptions.Default with { PlateauPatience = (int)value },
            "MinLearningRateFactor" => TrainingOptions.Default with { MinLearningRateFactor = value },
            "ImprovementThreshold" => TrainingOptions.Default with { ImprovementThreshold = value },
            "WarmupSteps" => TrainingOptions.Default with { WarmupSteps = (int)value },
            _ => TrainingOptions.Default with { MaxSteps = (long)value },
        };
        var e = Assert.ThrowsAny<ArgumentException>(() => options.Validate());
        Assert.Equal(field, e.ParamName);
        Assert.Contains($"`{field}`", e.Message);
    }

    [Fact]
    public void Constructor_BadModules_AreRefusedNamingTheParameter()
    {
        using var network = nn.Linear(1, 1);
        using var other = nn.Linear(2, 1);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(network, other, new Regression()));
        Assert.Equal("average", e.ParamName);
        Assert.Contains("must have the parameters of `network`", e.Message);
        Assert.Equal("average", Assert.Throws<ArgumentException>(() => new Trainer(network, network, new Regression())).ParamName);
        using var data = Data();
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(network, nn.Linear(1, 1), new Regression()).Run(data, weightDecay: -1));
        Assert.Equal("weightDecay", bad.ParamName);
    }

    [Fact]
    public void Resolve_FiniteSetThatCannotSplit_IsRefusedUnlessValidationIsNone()
    {
        using var data = Data();
        var finite = new FiniteOnly(data);
        using var generator = new Generator(1);
        var e = Assert.Throws<ArgumentException>(() => TrainingData.Resolve(finite, null, TrainingOptions.Default, generator));
        Assert.Contains("cannot split off a validation set", e.Message);
        using var none = TrainingData.Resolve(finite, null, TrainingOptions.Default with { Validation = ValidationSource.None }, generator);
        Assert.Null(none.Validation);
        Assert.Same(finite, none.Training);
        Assert.Equal(TrainingOptions.Default.WeightDecay, TrainingData.WeightDecay(TrainingOptions.Default, finite));
        Assert.Equal(0, TrainingData.WeightDecay(TrainingOptions.Default with { Optimizer = OptimizerChoice.Adam }, finite));
    }

    /// <summary>A finite user data set that cannot split.</summary>
    private sealed class FiniteOnly(InMemoryDataset inner) : ISimulationDataset
    {
        public int ParameterDimension => inner.ParameterDimension;
        public int ObservationDimension => inner.ObservationDimension;
        public long? Count => inner.Count;
        public IEnumerable<SbiSharp.Simulators.SimulationBatch> Batches(int batchSize, int batchesPerEpoch, Generator? generator) => inner.Batches(batchSize, batchesPerEpoch, generator);
    }
}
