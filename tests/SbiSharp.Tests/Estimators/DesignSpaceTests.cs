using System.Diagnostics;
using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using SbiSharp.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Estimators;

/// <summary>Every prediction target × loss space × weighting, and every named design, trains on a 2-D Gaussian-linear task and reproduces the analytic posterior N(x/2, 0.05·I).</summary>
public class DesignSpaceTests(ITestOutputHelper output)
{
    private static readonly double[][] Observations = { new[] { 0.4, -0.3 }, new[] { -0.8, 0.6 } };
    private static readonly double PosteriorSd = Math.Sqrt(0.05);

    private static readonly string[] AllPredictions = { "F", "noise", "velocity", "data", "score" };
    private static readonly string[] AllWeightings = { "none", "sigmoid", "likelihood", "edm" };
    private static readonly string[] AllSpaces = { "noise", "velocity", "F" };

    public static TheoryData<string, string, string> Combinations()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var p in AllPredictions)
            foreach (var l in AllSpaces)
                foreach (var w in AllWeightings)
                    data.Add(p, l, w);
        return data;
    }

    /// <summary>
    /// F- and v-prediction with no, sigmoid or EDM weighting, in the velocity and F loss spaces, plus F with the sigmoid- or
    /// EDM-weighted noise loss: the combinations that reproduced the posterior in `bench design-grid` (docs/design-space.md) with
    /// margin. The unweighted noise loss is left out for both targets: its output-space weight (sigmoid(λ) for F, α² for v)
    /// vanishes at high noise; measured 0.20–0.27 posterior sd off for F across runs (borderline) and 0.37 for v. Every ε, score
    /// and x combination and likelihood weighting with F fail at this budget.
    /// </summary>
    public static TheoryData<string, string, string> WellConditioned()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var w in new[] { "none", "sigmoid", "edm" })
            foreach (var p in new[] { "F", "velocity" })
                foreach (var l in AllSpaces)
                    if (l != "noise" || (p == "F" && w != "none"))
                        data.Add(p, l, w);
        return data;
    }

    public static TheoryData<string> Designs()
    {
        var data = new TheoryData<string>();
        foreach (var name in DiffusionDesigns.Names) data.Add(name);
        return data;
    }

    /// <summary>
    /// The named diffusion designs that reproduce the posterior at this budget (the consistency designs have no score for Heun and
    /// train a fixed length of their own: <see cref="Training.ConsistencyAccuracyTests"/>). Measured failures, left out: cosine-eps and linear-vp-eps
    /// (ε-prediction: at t = 1 the cosine schedule has β = −λ′σ² ≈ 7.8·10³, so an error δ of ε̂ moves the first Heun step by
    /// ≈ ½βhδ; F and v damp the same error by α) and flow-matching-ot (plain mini-batch OT pairs noise across observations,
    /// which biases the conditional flow: 1.4 posterior sd off; conditional OT fixes it).
    /// </summary>
    public static TheoryData<string> ReproducingDesigns()
    {
        var data = new TheoryData<string>();
        foreach (var name in DiffusionDesigns.Names.Except(new[] { "cosine-eps", "linear-vp-eps", "flow-matching-ot" }))
            if (DiffusionDesigns.Apply(SmallModel, name).Objective.LearnsDenoiser) data.Add(name);
        return data;
    }

    internal static Parameterization Prediction(string name) => name switch
    {
        "F" => new EdmParameterization(),
        "noise" => new NoiseParameterization(),
        "velocity" => new VelocityParameterization(),
        "data" => new DataParameterization(),
        "score" => new ScoreParameterization(),
        _ => throw new ArgumentException(name),
    };

    internal static LossWeighting Weighting(string name) => name switch
    {
        "none" => new UniformWeighting(),
        "sigmoid" => new SigmoidWeighting(),
        "likelihood" => new LikelihoodWeighting(),
        "edm" => new EdmWeighting(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    [Trait("Category", "Slow")]
    public void Train_EveryTargetLossAndWeighting_TrainsStablyAndSamples(string prediction, string loss, string weighting)
    {
        // Every combination must train (finite validation loss, no blow-up) and sample finite posteriors; how close each gets to the
        // posterior at a fixed budget is measured by `bench design-grid` (docs/design-space.md), not asserted here.
        var options = SmallModel with { Prediction = Prediction(prediction), Loss = Prediction(loss), Weighting = Weighting(weighting) };
        var task = GaussianLinearTask.Create(2);
        using var estimator = new DiffusionPosteriorEstimator(2, 2, options);
        var result = estimator.Train(new OnlineDataset(task.Joint()), ShortTraining with { Epochs = 4, BatchesPerEpoch = 75 });
        Assert.All(result.ValidationLosses, v => Assert.True(double.IsFinite(v)));
        // No blow-up: some objectives sit on their noise floor within 300 steps and the ill-conditioned ones fluctuate by 10–20 %
        // from epoch to epoch, so neither a strict decrease nor a tight band is a property of every combination.
        Assert.True(result.ValidationLosses[^1] <= 2 * result.ValidationLosses.Min(), $"validation loss blew up: {string.Join(", ", result.ValidationLosses)}");
        using var samples = estimator.Sample(new[] { 0.4, -0.3 }, 500, new SamplingOptions { Sampler = new HeunSampler(10), Seed = 1 });
        Assert.True(samples.isfinite().all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(WellConditioned))]
    [Trait("Category", "Slow")]
    public void Train_WellConditionedTargetLossAndWeighting_ReproducesGaussianPosterior(string prediction, string loss, string weighting)
    {
        var options = SmallModel with { Prediction = Prediction(prediction), Loss = Prediction(loss), Weighting = Weighting(weighting) };
        TrainAndCheck(options, $"{prediction}/{loss}/{weighting}");
    }

    /// <summary>
    /// Importance-sampled noise levels (<see cref="DiffusionEstimatorOptions.ImportanceSampledNoise"/>): the likelihood-weighted F
    /// loss (0.44 posterior sd off with the schedule's own λ, effective sample fraction 0.006) reproduces the posterior at the same
    /// budget (0.06 sd, sd within 10 % in `bench design-grid … edm importance 1200`). The ε- and score-cells that importance
    /// sampling also brings under the bar land at 16–18 % sd error, too close to the 20 % line to assert on another machine.
    /// </summary>
    [Theory]
    [InlineData("F", "F", "likelihood")]
    [Trait("Category", "Slow")]
    public void Train_ImportanceSampledNoise_ReproducesGaussianPosteriorWhereTheScheduleSamplingDoesNot(string prediction, string loss, string weighting)
    {
        var options = SmallModel with { Prediction = Prediction(prediction), Loss = Prediction(loss), Weighting = Weighting(weighting), ImportanceSampledNoise = true };
        TrainAndCheck(options, $"{prediction}/{loss}/{weighting} (importance-sampled)");
    }

    [Theory]
    [MemberData(nameof(ReproducingDesigns))]
    [Trait("Category", "Slow")]
    public void Train_NamedDesign_ReproducesGaussianPosterior(string design) =>
        TrainAndCheck(DiffusionDesigns.Apply(SmallModel, design), design);

    [Theory]
    [MemberData(nameof(Designs))]
    public void SaveLoad_EveryDesign_KeepsTheDesignAndTheSamples(string design)
    {
        var options = DiffusionDesigns.Apply(SmallModel, design);
        using var estimator = new DiffusionPosteriorEstimator(2, 2, options);
        var path = Path.Combine(Path.GetTempPath(), $"design-{Guid.NewGuid():N}.sbis");
        try
        {
            estimator.Save(path);
            using var loaded = DiffusionPosteriorEstimator.Load(path);
            Assert.Equal(options.Schedule.GetType(), loaded.Options.Schedule.GetType());
            Assert.Equal(options.Schedule.LogSnr(0.3), loaded.Options.Schedule.LogSnr(0.3), 12);
            Assert.Equal(options.Prediction.GetType(), loaded.Options.Prediction.GetType());
            Assert.Equal(options.Weighting.GetType(), loaded.Options.Weighting.GetType());
            Assert.Equal(options.Loss.GetType(), loaded.Options.Loss.GetType());
            Assert.Equal(options.Coupling, loaded.Options.Coupling);
            using var u = linspace(0.01, 0.99, 7).unsqueeze(1);
            using var a = options.Schedule.TrainingLogSnr(u);
            using var b = loaded.Options.Schedule.TrainingLogSnr(u);
            Assert.True(a.allclose(b));
            Assert.Equal(options.Objective.GetType(), loaded.Options.Objective.GetType());
            // A consistency design has no score for Heun; it samples with its own multistep sampler.
            var sampling = new SamplingOptions { Sampler = options.Objective.LearnsDenoiser ? new HeunSampler(5) : new ConsistencySampler(3), Seed = 3 };
            using var s1 = estimator.Sample(new[] { 0.1, 0.2 }, 50, sampling);
            using var s2 = loaded.Sample(new[] { 0.1, 0.2 }, 50, sampling);
            Assert.True(s1.eq(s2).all().item<bool>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("F", "noise", "edm")]
    [InlineData("F", "F", "none")]
    [InlineData("velocity", "velocity", "none")]
    [InlineData("noise", "noise", "none")]
    public void EffectiveSampleFraction_NaturalPairing_IsOne(string prediction, string loss, string weighting)
    {
        foreach (var schedule in new INoiseSchedule[] { new EdmSchedule(), new CosineSchedule() })
            Assert.Equal(1.0, ObjectiveConditioning.EffectiveSampleFraction(schedule, Prediction(prediction), Prediction(loss), Weighting(weighting)), 6);
    }

    [Fact]
    public void EffectiveSampleFraction_HeavyTailedWeights_IsSmall()
    {
        // Likelihood weighting under EDM's Gaussian training λ: |dλ/du| grows like e^{z²/2} in the tails.
        var fraction = ObjectiveConditioning.EffectiveSampleFraction(new EdmSchedule(), new EdmParameterization(), new NoiseParameterization(), new LikelihoodWeighting());
        Assert.InRange(fraction, 0, ObjectiveConditioning.WarningFraction);
        var flow = ObjectiveConditioning.EffectiveSampleFraction(new RectifiedFlowSchedule(), new FlowVelocityParameterization(), new FlowVelocityParameterization(), new UniformWeighting());
        Assert.Equal(1.0, flow, 6);
    }

    [Fact]
    public void Apply_UnknownDesign_ListsTheValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => DiffusionDesigns.Apply(DiffusionEstimatorOptions.Default, "cosine-x"));
        Assert.Contains("cosine-x", e.Message);
        Assert.Contains("flow-matching-cot", e.Message);
    }

    internal static DiffusionEstimatorOptions SmallModel { get; } = DiffusionEstimatorOptions.Default with
    {
        Network = NetworkOptions.Default with { Width = 64, Blocks = 2, Dropout = 0 },
        InitializationSeed = 1,
    };

    internal static TrainingOptions ShortTraining { get; } = TrainingOptions.Default with
    {
        Epochs = 12, BatchesPerEpoch = 100, BatchSize = 256, LearningRate = 2e-3, EarlyStoppingPatience = 0, EmaDecay = 0.99, Seed = 5,
    };

    private void TrainAndCheck(DiffusionEstimatorOptions options, string label)
    {
        var task = GaussianLinearTask.Create(2);
        using var estimator = new DiffusionPosteriorEstimator(2, 2, options);
        var clock = Stopwatch.StartNew();
        estimator.Train(new OnlineDataset(task.Joint()), ShortTraining);
        var seconds = clock.Elapsed.TotalSeconds;
        using var x = tensor(Observations.SelectMany(o => o).ToArray(), new long[] { 2, 2 }, dtype: ScalarType.Float32);
        using var samples = estimator.Sample(x, 4_000, new SamplingOptions { Sampler = new HeunSampler(30), Seed = 9 });
        var (meanErr, sdErr) = PosteriorErrors(samples, Observations);
        output.WriteLine($"{label}: train {seconds:F1}s, max |mean err| {meanErr:F3} sd, max rel sd err {sdErr:F3}");
        // Monte Carlo error with 4,000 draws: 0.016 sd for the mean, 1.1 % for the sd.
        Assert.True(meanErr < 0.25, $"{label}: posterior mean off by {meanErr:F3} posterior sd");
        Assert.True(sdErr < 0.2, $"{label}: posterior sd off by {sdErr:P1}");
    }

    /// <summary>The largest |mean error| (in posterior sd) and |sd ratio − 1| over observations and components of draws (K, N, 2) from the posterior
    /// N(x/2, 0.05·I) of the 2-D Gaussian-linear task.</summary>
    internal static (double Mean, double Sd) PosteriorErrors(Tensor samples, double[][] observations)
    {
        double meanErr = 0, sdErr = 0;
        for (int k = 0; k < observations.Length; k++)
        {
            using var row = samples[k];
            using var m = row.mean(new long[] { 0 });
            using var s = row.std(0);
            var mean = m.data<float>().ToArray();
            var sd = s.data<float>().ToArray();
            for (int j = 0; j < 2; j++)
            {
                meanErr = Math.Max(meanErr, Math.Abs(mean[j] - observations[k][j] / 2) / PosteriorSd);
                sdErr = Math.Max(sdErr, Math.Abs(sd[j] / PosteriorSd - 1));
            }
        }
        return (meanErr, sdErr);
    }
}
