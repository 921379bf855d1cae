using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Simulators;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Training;

/// <summary>Optimizer and validation source follow the options and what a data set can do, not its concrete type: a user's data set trains exactly like the built-in one it wraps.</summary>
public class TrainingPolicyTests
{
    private static DiffusionPosteriorEstimator Small() =>
        new(2, 2, DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 16, Blocks = 1 } });

    private static readonly TrainingOptions Short = TrainingOptions.Default with { Epochs = 3, BatchSize = 64, BatchesPerEpoch = 5, OnlineValidationSize = 300 };

    private static float[] Weights(DiffusionPosteriorEstimator estimator)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-policy-{Guid.NewGuid():N}.sbis");
        estimator.Save(path);
        using var loaded = DiffusionPosteriorEstimator.Load(path);
        File.Delete(path);
        using var draws = loaded.Sample(new[] { 0.2, -0.1 }, 50, SamplingOptions.Default with { Sampler = new SbiSharp.Sampling.EulerSampler(4), Seed = 1 });
        return draws.data<float>().ToArray();
    }

    [Fact]
    public void Train_UserStream_TrainsExactlyLikeTheOnlineDataset()
    {
        var joint = GaussianLinearTask.Create(2).Joint();
        using var a = Small();
        using var b = Small();
        var builtIn = a.Train(new OnlineDataset(joint), Short);
        var user = b.Train(new UserStream(new OnlineDataset(joint)), Short);
        Assert.Equal(builtIn.Losses, user.Losses);
        Assert.Equal(builtIn.ValidationLosses, user.ValidationLosses);
        Assert.Equal(Weights(a), Weights(b));
    }

    [Fact]
    public void Train_UserSplittableData_TrainsExactlyLikeTheInMemoryDataset()
    {
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 600, new Generator(1));
        using var a = Small();
        using var b = Small();
        var builtIn = a.Train(data, Short);
        var user = b.Train(new UserSplittable(data), Short);
        Assert.Equal(builtIn.Losses, user.Losses);
        Assert.Equal(builtIn.ValidationLosses, user.ValidationLosses);
    }

    [Fact]
    public void Train_FiniteDataThatCannotSplit_IsRefusedUnlessValidationIsNone()
    {
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 300, new Generator(2));
        using var estimator = Small();
        var e = Assert.Throws<ArgumentException>(() => estimator.Train(new UserFinite(data), Short));
        Assert.Contains("cannot split off a validation set", e.Message);
        Assert.Contains("TrainingOptions.Validation = None", e.Message);
        var result = estimator.Train(new UserFinite(data), Short with { Validation = ValidationSource.None });
        // Without a validation set the reported validation loss is the training loss.
        Assert.Equal(result.Losses, result.ValidationLosses);
        var stream = Assert.Throws<ArgumentException>(() => Small().Train(data, Short with { Validation = ValidationSource.Stream }));
        Assert.Contains("needs a stream of fresh simulations", stream.Message);
    }

    [Fact]
    public void Train_OptimizerOption_ChangesTheUpdate()
    {
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 600, new Generator(3));
        using var auto = Small();
        using var adamW = Small();
        using var adam = Small();
        auto.Train(data, Short);
        adamW.Train(data, Short with { Optimizer = OptimizerChoice.AdamW });
        adam.Train(data, Short with { Optimizer = OptimizerChoice.Adam });
        Assert.Equal(Weights(auto), Weights(adamW));
        Assert.NotEqual(Weights(auto), Weights(adam));
    }

    private sealed class UserStream(ISimulationDataset inner) : ISimulationDataset
    {
        public int ParameterDimension => inner.ParameterDimension;
        public int ObservationDimension => inner.ObservationDimension;
        public long? Count => inner.Count;
        public IEnumerable<SimulationBatch> Batches(int batchSize, int batches, Generator? generator) => inner.Batches(batchSize, batches, generator);
    }

    private class UserFinite(InMemoryDataset inner) : ISimulationDataset
    {
        protected InMemoryDataset Inner => inner;
        public int ParameterDimension => inner.ParameterDimension;
        public int ObservationDimension => inner.ObservationDimension;
        public long? Count => inner.Count;
        public IEnumerable<SimulationBatch> Batches(int batchSize, int batches, Generator? generator) => inner.Batches(batchSize, batches, generator);
    }

    private sealed class UserSplittable(InMemoryDataset inner) : UserFinite(inner), ISplittableDataset
    {
        public (ISimulationDataset Train, InMemoryDataset Validation) SplitValidation(double validationFraction, Generator? generator)
        {
            var (train, validation) = Inner.Split(validationFraction, generator);
            return (new UserFiniteOwning(train), validation);
        }
    }

    private sealed class UserFiniteOwning(InMemoryDataset inner) : UserFinite(inner), IDisposable
    {
        public void Dispose() => Inner.Dispose();
    }
}
