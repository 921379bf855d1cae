using System.Diagnostics;
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Tasks;
using SbiSharp.Tests.Estimators;
using SbiSharp.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Training;

/// <summary>
/// Trained consistency models against an analytic posterior: the 2-D Gaussian-linear task, posterior N(x/2, 0.05·I), drawn with
/// the family's own default sampler (few jumps). The design-space test of the diffusion designs does not cover these families:
/// they have no score for its Heun sampler, and their loss cannot stop training, so each needs its own fixed length.
/// </summary>
public class ConsistencyAccuracyTests(ITestOutputHelper output)
{
    private static readonly double[][] Observations = { new[] { 0.4, -0.3 }, new[] { -0.8, 0.6 }, new[] { 1.2, 0.2 } };

    /// <summary>Improved consistency training (4 jumps) on iCT's final grid of 1280 intervals, from online simulations. BayesFlow's 150 (the default, which
    /// scores better on sbibm at 20,000 steps) leaves a discretization bias here: means 0.98 posterior sd toward the prior at this length (docs/consistency-models.md).</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void ConsistencyTraining_OnTheFineGrid_ReproducesThePosterior()
    {
        var task = GaussianLinearTask.Create(2);
        var options = DiffusionDesigns.Apply(DesignSpaceTests.SmallModel, "consistency") with { Objective = ConsistencyTrainingSpec.Default with { FinalDiscretization = 1280 } };
        using var estimator = new DiffusionPosteriorEstimator(2, 2, options);
        var clock = Stopwatch.StartNew();
        estimator.Train(new OnlineDataset(task.Joint()), Training(ConsistencyTrainingSteps));
        Check(estimator, $"consistency s1 = 1280, {ConsistencyTrainingSteps} steps, train {clock.Elapsed.TotalSeconds:F1}s");
    }

    /// <summary>Distillation of a diffusion teacher (the default design) into a student sampled by 4 jumps on its training grid.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Distillation_OfATrainedDiffusionModel_ReproducesThePosterior()
    {
        var task = GaussianLinearTask.Create(2);
        using var teacher = new DiffusionPosteriorEstimator(2, 2, DesignSpaceTests.SmallModel);
        var clock = Stopwatch.StartNew();
        teacher.Train(new OnlineDataset(task.Joint()), Training(TeacherSteps));
        Check(teacher, $"teacher, {TeacherSteps} steps");
        using var generator = new TorchSharp.torch.Generator(11);
        using var data = InMemoryDataset.Simulate(task.Joint(), 10_000, generator);
        var (student, _) = ConsistencyDistillation.Distill(teacher, data, options: Training(StudentSteps));
        using (student) Check(student, $"distilled, teacher {TeacherSteps} + student {StudentSteps} steps, train {clock.Elapsed.TotalSeconds:F1}s");
    }

    private const int ConsistencyTrainingSteps = 10_000;
    private const int TeacherSteps = 3_000;
    private const int StudentSteps = 8_000;

    private static TrainingOptions Training(int steps) => DesignSpaceTests.ShortTraining with { Epochs = steps / 100, MaxSteps = steps };

    private void Check(DiffusionPosteriorEstimator estimator, string label)
    {
        using var x = tensor(Observations.SelectMany(o => o).ToArray(), new long[] { Observations.Length, 2 }, dtype: ScalarType.Float32);
        using var samples = estimator.Sample(x, 4_000, new SamplingOptions { Seed = 9 });
        var (meanErr, sdErr) = DesignSpaceTests.PosteriorErrors(samples, Observations);
        output.WriteLine($"{label} ({estimator.DefaultSampler.Name}): max |mean err| {meanErr:F3} sd, max rel sd err {sdErr:F3}");
        // Monte Carlo error with 4,000 draws: 0.016 sd for the mean, 1.1 % for the sd.
        Assert.True(meanErr < 0.25, $"{label}: posterior mean off by {meanErr:F3} posterior sd");
        Assert.True(sdErr < 0.15, $"{label}: posterior sd off by {sdErr:P1}");
    }
}
