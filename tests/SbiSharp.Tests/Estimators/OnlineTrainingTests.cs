using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Estimators;

public class OnlineTrainingTests
{
    /// <summary>
    /// Online training (fresh simulations every batch, Adam, standardization fitted on the stream) on a 2-D Gaussian-linear
    /// model learns the posterior mean x/2: with 1,500 steps of a small network the mean lands within 0.3 posterior sd.
    /// </summary>
    [Fact]
    public void Train_Online_LearnsPosteriorMean()
    {
        var task = GaussianLinearTask.Create(2);
        var options = DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 64, Blocks = 2 } };
        using var estimator = new DiffusionPosteriorEstimator(2, 2, options);
        var result = estimator.Train(new OnlineDataset(task.Joint()), TrainingOptions.Default with { Epochs = 15, BatchesPerEpoch = 100, BatchSize = 256 });
        Assert.Equal(1500, result.Steps);
        Assert.True(result.Losses[^1] < result.Losses[0]);
        Assert.InRange(estimator.ThetaStandardizer.Std[0], Math.Sqrt(0.1) * 0.9, Math.Sqrt(0.1) * 1.1);
        var x = new[] { 0.6, -0.4 };
        using var samples = estimator.Sample(x, 4000);
        var mean = samples.mean(new long[] { 0 }).data<float>().ToArray();
        for (int j = 0; j < 2; j++)
            Assert.InRange(mean[j], x[j] / 2 - 0.3 * Math.Sqrt(0.05), x[j] / 2 + 0.3 * Math.Sqrt(0.05));
    }
}
