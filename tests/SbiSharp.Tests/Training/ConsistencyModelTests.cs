using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Registration;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.Torch;
using TorchSharp;

namespace SbiSharp.Tests.Training;

/// <summary>The consistency families (CT, sCM, distillation): the boundary condition, the curriculum, the tangent, and the estimator contract every family meets.</summary>
public class ConsistencyModelTests
{
    private static readonly NetworkOptions SmallNetwork = NetworkOptions.Default with { Width = 32, Blocks = 2 };

    /// <summary>Every registered objective that trains without a teacher and learns no denoiser: a new consistency family is tested by these contracts.</summary>
    public static TheoryData<string> TrainableConsistencyFamilies
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var e in Registries.Objectives.Entries)
                if (e.Create(CreationArguments.None) is { LearnsDenoiser: false } spec && spec is not ConsistencyDistillationSpec) data.Add(e.Name);
            return data;
        }
    }

    /// <summary>The options of <paramref name="family"/>: the registered design of the same name (what --method picks) with a small network.</summary>
    private static DiffusionEstimatorOptions OptionsOf(string family) =>
        DiffusionDesigns.Apply(DiffusionEstimatorOptions.Default with { Network = SmallNetwork }, family);

    [Fact]
    public void Boundary_AtSigmaMin_IsTheIdentityForAnyOutput()
    {
        var schedule = new EdmSchedule(EdmScheduleOptions.Default with { SigmaMin = ConsistencyParameterization.DefaultSigmaMin });
        var p = new ConsistencyParameterization();
        using var scope = NewDisposeScope();
        using var g = new Generator(2);
        var logSnr = ScalarMath.Full(new long[] { 6, 1 }, schedule.LogSnrMax, ScalarType.Float64);
        var (alpha, sigma) = schedule.Scales(logSnr);
        var thetaT = randn(new long[] { 6, 3 }, dtype: ScalarType.Float64, generator: g);
        var output = randn(new long[] { 6, 3 }, dtype: ScalarType.Float64, generator: g).Mul(100.0);
        var f = p.ToDenoised(output, thetaT, logSnr, alpha, sigma);
        Assert.True(f.allclose(thetaT / alpha, rtol: 1e-12, atol: 1e-12));
        // Away from σ_min the output matters, and at large σ f is (almost) the output: c_skip → 0, c_out → σ_d.
        var noisy = ScalarMath.Full(new long[] { 6, 1 }, schedule.LogSnrMin, ScalarType.Float64);
        var (a2, s2) = schedule.Scales(noisy);
        Assert.True(p.ToDenoised(output, thetaT, noisy, a2, s2).allclose(output, rtol: 1e-3, atol: 1e-2));
    }

    [Fact]
    public void Curriculum_DoublesFromTheFirstToTheFinalGrid()
    {
        var seen = Enumerable.Range(0, 20_000).Select(k => ConsistencyDiscretization.Curriculum(k, 10, 150, 20_000)).ToArray();
        Assert.Equal(10, seen[0]);
        Assert.Equal(150, seen[^1]);
        Assert.Equal(new[] { 10, 20, 40, 80, 150 }, seen.Distinct().ToArray());
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second >= p.First));
        Assert.Equal(150, ConsistencyDiscretization.Curriculum(1_000_000, 10, 150, 20_000));
    }

    [Fact]
    public void Discretization_DrawsAdjacentLevels_InProportionToTheLogNormal()
    {
        var schedule = new EdmSchedule(EdmScheduleOptions.Default with { SigmaMin = 0.002 });
        var grid = new ConsistencyDiscretization(schedule, 20, -1.1, 2.0);
        Assert.Equal(0.002, grid.Sigmas[0], 12);
        Assert.Equal(80, grid.Sigmas[^1], 9);
        using var g = new Generator(4);
        const int n = 200_000;
        var (lower, upper) = grid.Draw(n, g, ScalarType.Float64, CPU);
        using var l = lower;
        using var u = upper;
        var lo = l.data<double>().ToArray();
        var up = u.data<double>().ToArray();
        var counts = new int[20];
        for (int i = 0; i < n; i++)
        {
            var k = Array.FindIndex(grid.Sigmas.ToArray(), s => s == lo[i]);
            Assert.True(k >= 0 && k < 20 && grid.Sigmas[k + 1] == up[i], $"row {i}: ({lo[i]}, {up[i]}) is not an adjacent pair of the grid");
            counts[k]++;
        }
        static double Cdf(double s) => MathNet.Numerics.SpecialFunctions.Erf((Math.Log(s) + 1.1) / (Math.Sqrt(2) * 2.0));
        var total = Enumerable.Range(0, 20).Sum(k => Cdf(grid.Sigmas[k + 1]) - Cdf(grid.Sigmas[k]));
        for (int k = 0; k < 20; k++)
        {
            var p = (Cdf(grid.Sigmas[k + 1]) - Cdf(grid.Sigmas[k])) / total;
            Assert.InRange((double)counts[k] / n, p - 5 * Math.Sqrt(p * (1 - p) / n) - 1e-9, p + 5 * Math.Sqrt(p * (1 - p) / n) + 1e-9);
        }
    }

    [Fact]
    public void StableConsistency_FiniteDifferenceAndDoubleBackwardTangents_GiveTheSameLoss()
    {
        var options = OptionsOf("stable-consistency");
        using var g = new Generator(8);
        using var network = new AdaptiveWeightNetwork(new ResidualMlp(2, 2, SmallNetwork with { Dropout = 0 }, g), g);
        using (no_grad())
            foreach (var p in network.parameters()) p.copy_(randn(p.shape, generator: g).Mul(0.3));
        network.eval();
        using var scope = NewDisposeScope();
        var theta = randn(new long[] { 64, 2 }, generator: g);
        var x = randn(new long[] { 64, 2 }, generator: g);
        double LossWith(TangentMethod method, double r)
        {
            var objective = (StableConsistencyObjective)(StableConsistencySpec.Default with { Tangent = method, WarmupSteps = 100 }).Create(options);
            objective.SetStep((long)(r * 100), 1_000);
            using var generator = new Generator(3);
            return objective.Loss(network, theta, x, generator).item<float>();
        }
        var fd = LossWith(TangentMethod.FiniteDifference, 1);
        var exact = LossWith(TangentMethod.DoubleBackward, 1);
        Assert.True(Math.Abs(fd - exact) < 1e-3 * Math.Abs(exact) + 1e-5, $"finite difference {fd} vs double backward {exact}");
        // The derivative term matters: without it (warm-up r = 0) the loss differs.
        Assert.True(Math.Abs(LossWith(TangentMethod.DoubleBackward, 0) - exact) > 1e-3, "the tangent's derivative term had no effect");
    }

    [Theory]
    [MemberData(nameof(TrainableConsistencyFamilies))]
    public void Family_TrainsSavesLoadsReproducesAndRefusesWhatNeedsAScore(string family)
    {
        var options = OptionsOf(family);
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 1_000, new Generator(5));
        var training = TrainingOptions.Default with { BatchSize = 100, MaxSteps = 40 };
        using var estimator = new DiffusionPosteriorEstimator(2, 2, options);
        var result = estimator.Train(data, training);
        Assert.Equal(40, result.Steps); // a fixed length: consistency losses do not rank models, so no early stopping
        Assert.IsType<ConsistencySampler>(estimator.DefaultSampler);
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-{family}-{Guid.NewGuid():N}.sbis");
        estimator.Save(path);
        using var loaded = DiffusionPosteriorEstimator.Load(path);
        File.Delete(path);
        Assert.Equal(options.Objective.GetType(), loaded.Options.Objective.GetType());
        var sampling = SamplingOptions.Default with { Seed = 4 };
        using var a = estimator.Sample(new[] { 0.3, -0.2 }, 200, sampling);
        using var b = loaded.Sample(new[] { 0.3, -0.2 }, 200, sampling);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.True(a.isfinite().all().item<bool>());
        // Same seeds, same weights: a second run gives the same draws.
        using (var again = new DiffusionPosteriorEstimator(2, 2, options))
        {
            again.Train(data, training);
            using var c = again.Sample(new[] { 0.3, -0.2 }, 200, sampling);
            Assert.True(a.eq(c).all().item<bool>());
        }
        using var theta = zeros(3, 2);
        using var x = zeros(1, 2);
        Assert.Contains("does not learn one", Assert.Throws<InvalidOperationException>(() => loaded.LogProb(theta, x)).Message);
        using (var many = zeros(2, 2))
            Assert.Throws<InvalidOperationException>(() => loaded.SampleComposed(many, 10, options: sampling));
        Assert.Throws<InvalidOperationException>(() => loaded.Sample(x, 10, sampling, guidance: new[] { new SbiSharp.Guidance.InpaintingGuidance(new[] { 0 }, new[] { 0.1 }) }));
        var heun = Assert.Throws<ArgumentException>(() => loaded.Sample(x, 10, sampling with { Sampler = new HeunSampler(10) }));
        Assert.Contains("'heun-10' integrates the probability flow", heun.Message);
        Assert.Contains("consistency", heun.Message);
    }

    [Theory]
    [MemberData(nameof(TrainableConsistencyFamilies))]
    public void Family_TrainAndSample_LeaveNoLiveTensors(string family)
    {
        var options = OptionsOf(family);
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 600, new Generator(1));
        using var estimator = new DiffusionPosteriorEstimator(2, 2, options);
        using var x = ones(3, 2);
        var quick = TrainingOptions.Default with { BatchSize = 128, MaxSteps = 10 };
        estimator.Train(data, quick);
        estimator.Sample(x, 10).Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        estimator.Train(data, quick);
        estimator.Sample(x, 10, new SamplingOptions { ChunkSize = 7 }).Dispose();
        estimator.Sample(new[] { 1.0, 2.0 }, 10, new SamplingOptions { Sampler = new ConsistencySampler(3) }).Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [MemberData(nameof(TrainableConsistencyFamilies))]
    public void Family_BoundedPrior_DrawsStayInsideTheSupport_WithEitherTransform(string family)
    {
        var task = BuiltInTasks.Create("gaussian_linear_uniform");
        using var data = InMemoryDataset.Simulate(task.Joint(), 1_000, new Generator(6));
        using var x = data.X.narrow(0, 0, 2).clone();
        foreach (var transform in new[] { SbiSharp.Spaces.ParameterTransform.Identity(task.Prior.Support), SbiSharp.Spaces.ParameterTransform.Unconstrained(task.Prior.Support) })
        {
            using var estimator = new DiffusionPosteriorEstimator(task.Prior, task.ObservationDimension, OptionsOf(family), task.ParameterNames, transform);
            estimator.Train(data, TrainingOptions.Default with { BatchSize = 100, MaxSteps = 30 });
            using var draws = estimator.Sample(x, 300, SamplingOptions.Default with { Seed = 1 });
            using var inside = task.Prior.Support.Contains(draws.reshape(-1, task.ParameterDimension));
            Assert.True(inside.all().item<bool>(), $"{family}: draws outside the box with the {transform.Kinds[0]} transform");
        }
    }

    [Fact]
    public void ConsistencyTraining_BadSettingsAndMismatchedOptions_AreRefusedByName()
    {
        Assert.Contains("`FinalDiscretization` must be at least `InitialDiscretization` = 10",
            Assert.Throws<ArgumentOutOfRangeException>(() => (ConsistencyTrainingSpec.Default with { FinalDiscretization = 5 }).Validate()).Message);
        Assert.Contains("`SdLogTime`", Assert.Throws<ArgumentOutOfRangeException>(() => (StableConsistencySpec.Default with { SdLogTime = 0 }).Validate()).Message);
        Assert.Contains("`FiniteDifferenceStep`", Assert.Throws<ArgumentOutOfRangeException>(() => (StableConsistencySpec.Default with { FiniteDifferenceStep = 1 }).Validate()).Message);
        var ct = OptionsOf("consistency");
        Assert.Contains("needs `Prediction` = ConsistencyParameterization",
            Assert.Throws<ArgumentException>(() => ct.Objective.Create(ct with { Prediction = new EdmParameterization() })).Message);
        Assert.Contains("must equal the schedule's smallest noise level",
            Assert.Throws<ArgumentException>(() => ct.Objective.Create(ct with { Schedule = new EdmSchedule() })).Message);
        Assert.Contains("`ConditionDropout` = 0.1", Assert.Throws<ArgumentException>(() => ct.Objective.Create(ct with { ConditionDropout = 0.1 })).Message);
        var scm = OptionsOf("stable-consistency");
        Assert.Contains("needs a variance-preserving schedule",
            Assert.Throws<ArgumentException>(() => scm.Objective.Create(scm with { Schedule = new EdmSchedule(EdmScheduleOptions.Default with { Form = VarianceForm.Exploding }) })).Message);
        Assert.Contains("VelocityParameterization", Assert.Throws<ArgumentException>(() => scm.Objective.Create(scm with { Prediction = new EdmParameterization() })).Message);
        Assert.Contains("needs a teacher", Assert.Throws<InvalidOperationException>(() => new ConsistencyDistillationSpec().Create(ct)).Message);
    }

    [Fact]
    public void ConsistencyTraining_SamplingWithMoreStepsThanTheTrainingGrid_Warns()
    {
        var spec = ConsistencyTrainingSpec.Default;
        Assert.Null(spec.SamplerWarning(new ConsistencySampler(4)));
        Assert.Contains("more than the 150 intervals of the training grid", spec.SamplerWarning(new ConsistencySampler(151)));
    }

    [Fact]
    public void Distillation_DefaultSamplerIsOnTheTrainingGrid_AndOffGridSamplersWarn()
    {
        var spec = new ConsistencyDistillationSpec();
        var sampler = Assert.IsType<ConsistencySampler>(spec.DefaultSampler());
        Assert.Equal("consistency-4-t-grid", sampler.Name);
        Assert.Null(spec.SamplerWarning(sampler));
        Assert.Contains("off the distilled model's training grid", spec.SamplerWarning(new ConsistencySampler(4)));
        Assert.Contains("off the distilled model's training grid", spec.SamplerWarning(ConsistencySampler.UniformInTime(3)));
        Assert.Contains("`SamplingSteps` must divide `Intervals` = 40", Assert.Throws<ArgumentOutOfRangeException>(() => (spec with { SamplingSteps = 3 }).Validate()).Message);
    }

    [Fact]
    public void Distill_RefusesAnUntrainedOrConsistencyTeacher()
    {
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 200, new Generator(5));
        using var untrained = new DiffusionPosteriorEstimator(2, 2, DiffusionEstimatorOptions.Default with { Network = SmallNetwork });
        Assert.Contains("`teacher` is untrained", Assert.Throws<ArgumentException>(() => ConsistencyDistillation.Distill(untrained, data)).Message);
        using var consistency = new DiffusionPosteriorEstimator(2, 2, OptionsOf("consistency"));
        consistency.Train(data, TrainingOptions.Default with { MaxSteps = 2, BatchSize = 100 });
        Assert.Contains("has no probability-flow ODE to distill", Assert.Throws<ArgumentException>(() => ConsistencyDistillation.Distill(consistency, data)).Message);
    }
}
