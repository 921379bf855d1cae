using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Tasks;
using SbiSharp.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Training;

/// <summary>Consistency models against the analytic posterior of 2-D Gaussian-linear, N(x/2, 0.05·I): trained by consistency training, and distilled from a
/// diffusion teacher, both sampled by their default (4-jump) sampler. Tolerances as GaussianLinearTrainingTests' (mean within 0.25 posterior sd,
/// sd within 15 %), checked on three observations with 4,000 draws each (Monte Carlo error 0.016 sd for the mean, 1.1 % for the sd).</summary>
[Trait("Category", "Slow")]
public class ConsistencyAccuracyTests(ITestOutputHelper output)
{
    private static readonly double[][] Observations = { new[] { 0.3, -0.2 }, new[] { -0.5, 0.1 }, new[] { 0.0, 0.6 } };

    private void AssertMatchesPosterior(DiffusionPosteriorEstimator estimator, string what)
    {
        using var x = tensor(Observations.SelectMany(o => o).ToArray(), new long[] { 3, 2 }, ScalarType.Float32);
        using var samples = estimator.Sample(x, 4_000, SamplingOptions.Default with { Seed = 9 });
        var sd = Math.Sqrt(0.05);
        for (int k = 0; k < 3; k++)
        {
            var mean = samples[k].mean(new long[] { 0 }).data<float>().ToArray();
            var std = samples[k].std(0).data<float>().ToArray();
            for (int j = 0; j < 2; j++)
            {
                var meanError = Math.Abs(mean[j] - Observations[k][j] / 2) / sd;
                var sdRatio = std[j] / sd;
                output.WriteLine($"{what} obs {k} θ{j + 1}: mean error {meanError:F3} sd, sd ratio {sdRatio:F3}");
                Assert.True(meanError < 0.25, $"{what}: observation {k}, θ{j + 1}: mean off by {meanError:F3} posterior sd");
                Assert.InRange(sdRatio, 0.85, 1.15);
            }
        }
    }

    [Fact]
    public void ConsistencyTraining_GaussianLinear_MatchesAnalyticPosterior()
    {
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 10_000, new Generator(1));
        using var estimator = new DiffusionPosteriorEstimator(2, 2, DiffusionDesigns.Apply(DiffusionEstimatorOptions.Default, "consistency"));
        var result = estimator.Train(data, TrainingOptions.Default with { MaxSteps = 6_000 });
        output.WriteLine($"consistency training: {result.Steps} steps in {result.Seconds:F0} s");
        AssertMatchesPosterior(estimator, "consistency training");
    }

    [Fact]
    public void Distillation_GaussianLinear_MatchesAnalyticPosterior()
    {
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 10_000, new Generator(1));
        using var teacher = new DiffusionPosteriorEstimator(2, 2);
        var taught = teacher.Train(data, TrainingOptions.Default with { MaxSteps = 3_000 });
        var (student, distilled) = ConsistencyDistillation.Distill(teacher, data, options: TrainingOptions.Default with { MaxSteps = 4_000 });
        using var owned = student;
        output.WriteLine($"teacher {taught.Steps} steps in {taught.Seconds:F0} s; student {distilled.Steps} steps in {distilled.Seconds:F0} s");
        Assert.Equal(teacher.ThetaStandardizer.Mean, student.ThetaStandardizer.Mean);
        AssertMatchesPosterior(student, "distillation");
    }
}
