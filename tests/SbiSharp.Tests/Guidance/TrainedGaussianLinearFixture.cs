using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Tasks;
using SbiSharp.Tests.Estimators;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Guidance;

/// <summary>One small 2-D Gaussian-linear model (prior N(0, 0.1 I), x ~ N(θ, 0.1 I)) trained with condition dropout 0.1, shared by the guidance and composition tests.</summary>
public sealed class TrainedGaussianLinearFixture : IDisposable
{
    public TrainedGaussianLinearFixture()
    {
        Task = GaussianLinearTask.Create(2);
        Estimator = new DiffusionPosteriorEstimator(2, 2, DesignSpaceTests.SmallModel with { ConditionDropout = 0.1 });
        Estimator.Train(new OnlineDataset(Task.Joint()), DesignSpaceTests.ShortTraining with { Epochs = 16 });
    }

    public SbiSharp.Tasks.SbiTask Task { get; }

    public DiffusionPosteriorEstimator Estimator { get; }

    public void Dispose() => Estimator.Dispose();
}
