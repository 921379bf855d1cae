using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.IO;

namespace SbiSharp.Bench;

/// <summary>
/// Every prediction target × loss space × weighting on a 2-D Gaussian-linear task (posterior N(x/2, 0.05·I)) at one small budget
/// (width-64, 2-block network, by default 1,200 Adam steps of 256 online simulations, Heun-30): worst posterior-mean error in posterior sd,
/// worst relative sd error over two observations, effective sample fraction of the objective, training seconds.
/// Writes grid.json and grid.md.
/// </summary>
internal static class DesignGrid
{
    /// <summary>The grid's prediction targets; <see cref="Parameterization.Name"/> identifies each (F, velocity, noise, score, data).</summary>
    public static readonly Parameterization[] Predictions = { new EdmParameterization(), new VelocityParameterization(), new NoiseParameterization(), new ScoreParameterization(), new DataParameterization() };

    /// <summary>The grid's weightings; <see cref="LossWeighting.Name"/> identifies each (none, sigmoid, edm, likelihood).</summary>
    public static readonly LossWeighting[] Weightings = { new UniformWeighting(), new SigmoidWeighting(), new EdmWeighting(), new LikelihoodWeighting() };

    private static readonly double[][] Observations = { new[] { 0.4, -0.3 }, new[] { -0.8, 0.6 } };

    public static int Run(string outDir, string scheduleName, bool importance, int epochs = 12)
    {
        Directory.CreateDirectory(outDir);
        var schedule = Schedule(scheduleName);
        var spaces = new Parameterization[] { new NoiseParameterization(), new VelocityParameterization(), new EdmParameterization() };
        var rows = new List<Dictionary<string, object>>();
        var sd = Math.Sqrt(0.05);
        foreach (var prediction in Predictions)
            foreach (var space in spaces)
                foreach (var weighting in Weightings)
                {
                    var clock = Stopwatch.StartNew();
                    using var estimator = Train(schedule, prediction, space, weighting, importance, epochs);
                    var seconds = clock.Elapsed.TotalSeconds;
                    using var x = tensor(Observations.SelectMany(o => o).ToArray(), new long[] { 2, 2 }, dtype: ScalarType.Float32);
                    using var samples = estimator.Sample(x, 4_000, new SamplingOptions { Sampler = new HeunSampler(30), Seed = 9 });
                    double meanErr = 0, sdErr = 0;
                    for (int k = 0; k < Observations.Length; k++)
                    {
                        var mean = samples[k].mean(new long[] { 0 }).data<float>().ToArray();
                        var std = samples[k].std(0).data<float>().ToArray();
                        for (int j = 0; j < 2; j++)
                        {
                            meanErr = Math.Max(meanErr, Math.Abs(mean[j] - Observations[k][j] / 2) / sd);
                            sdErr = Math.Max(sdErr, Math.Abs(std[j] / sd - 1));
                        }
                    }
                    var ess = ObjectiveConditioning.EffectiveSampleFraction(schedule, prediction, space, weighting, importance);
                    rows.Add(new Dictionary<string, object>
                    {
                        ["prediction"] = prediction.Name, ["loss"] = space.Name, ["weighting"] = weighting.Name, ["effective_sample_fraction"] = ess,
                        ["max_mean_error_sd"] = meanErr, ["max_relative_sd_error"] = sdErr, ["training_seconds"] = seconds,
                        ["reproduces"] = meanErr < 0.25 && sdErr < 0.2,
                    });
                    Console.WriteLine(FormattableString.Invariant($"{prediction.Name}/{space}/{weighting.Name}: ESS {ess:F3} mean err {meanErr:F3} sd, sd err {sdErr:P0}, {seconds:F1} s"));
                }
        AtomicFile.WriteAllText(Path.Combine(outDir, "grid.json"), JsonSerializer.Serialize(new { schedule = scheduleName, importance_sampled_noise = importance, steps = epochs * 100, date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rows }, new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        md.AppendLine($"Prediction × loss × weighting on 2-D Gaussian-linear ({scheduleName} schedule, {(importance ? "importance-sampled" : "the schedule's")} training noise levels, {epochs * 100:N0} steps, width 64 × 2 blocks, Heun-30, 4,000 draws × 2 observations). Reproduces: worst mean error < 0.25 posterior sd and worst sd error < 20 %.");
        md.AppendLine();
        md.AppendLine("| prediction | loss | weighting | effective sample fraction | worst mean error (sd) | worst sd error | reproduces |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine(FormattableString.Invariant($"| {r["prediction"]} | {r["loss"]} | {r["weighting"]} | {(double)r["effective_sample_fraction"]:F3} | {(double)r["max_mean_error_sd"]:F2} | {(double)r["max_relative_sd_error"]:P0} | {((bool)r["reproduces"] ? "yes" : "no")} |"));
        md.AppendLine();
        md.AppendLine($"Reproduce: {rows.Count(r => (bool)r["reproduces"])} of {rows.Count}.");
        AtomicFile.WriteAllText(Path.Combine(outDir, "grid.md"), md.ToString());
        return 0;
    }

    /// <summary>The grid's schedules by name: edm, edm-wide (EDM sampling path, training log-SNRs ~ N(0, 6²)), cosine.</summary>
    public static INoiseSchedule Schedule(string name) => name switch
    {
        "edm" => new EdmSchedule(),
        "cosine" => new CosineSchedule(),
        // EDM's sampling path with training log-SNRs ~ N(0, 6²): covers the sampler's λ ∈ [−8.8, 18.4] instead of N(2.4, 2.4²).
        "edm-wide" => new EdmSchedule(EdmScheduleOptions.Default with { TrainingLogSnrMean = 0, TrainingLogSnrStd = 6 }),
        _ => throw new ArgumentException($"Unknown schedule '{name}'; valid: edm, edm-wide, cosine."),
    };

    /// <summary>Trains the grid's small model (width 64 × 2 blocks, 100 steps of 256 online simulations per epoch) on 2-D Gaussian-linear.</summary>
    public static DiffusionPosteriorEstimator Train(INoiseSchedule schedule, Parameterization prediction, Parameterization space, LossWeighting weighting, bool importance, int epochs)
    {
        var options = DiffusionEstimatorOptions.Default with
        {
            Network = NetworkOptions.Default with { Width = 64, Blocks = 2, Dropout = 0 },
            InitializationSeed = 1, ImportanceSampledNoise = importance, Schedule = schedule, Prediction = prediction, Loss = space, Weighting = weighting,
        };
        var training = TrainingOptions.Default with { Epochs = epochs, BatchesPerEpoch = 100, BatchSize = 256, LearningRate = 2e-3, EarlyStoppingPatience = 0, EmaDecay = 0.99, Seed = 5 };
        var estimator = new DiffusionPosteriorEstimator(2, 2, options);
        estimator.Train(new OnlineDataset(GaussianLinearTask.Create(2).Joint()), training);
        return estimator;
    }
}
