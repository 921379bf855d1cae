using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Composition;
using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Guidance;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Priors;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.Torch;
using SbiSharp.IO;

namespace SbiSharp.Bench;

/// <summary>
/// Post-hoc control on 2-D Gaussian-linear (prior N(0, 0.1 I), x ~ N(θ, 0.1 I)), where every answer is exact:
/// (1) composition error versus the number of observations N for each method, with the exact single-observation denoiser and
/// with a trained network (condition dropout 0.1); (2) prior-swap bias as the new prior moves away from the training prior.
/// Errors: worst |mean − exact| in exact posterior sd, and the worst variance ratio (sampled / exact). Writes guidance.json and guidance.md.
/// </summary>
internal static class GuidanceBench
{
    private static readonly double[] Truth = { 0.4, -0.3 };

    public static int Run(string outDir, int[] counts)
    {
        Directory.CreateDirectory(outDir);
        var rows = new List<Dictionary<string, object>>();
        var task = GaussianLinearTask.Create(2);
        var clock = Stopwatch.StartNew();
        using var estimator = new DiffusionPosteriorEstimator(2, 2, DiffusionEstimatorOptions.Default with
        {
            Network = NetworkOptions.Default with { Width = 64, Blocks = 2, Dropout = 0 }, InitializationSeed = 1, ConditionDropout = 0.1,
        });
        estimator.Train(new OnlineDataset(task.Joint()), TrainingOptions.Default with
        {
            Epochs = 30, BatchesPerEpoch = 100, BatchSize = 256, LearningRate = 2e-3, EarlyStoppingPatience = 0, EmaDecay = 0.99, Seed = 5,
        });
        var trainSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"trained the network in {trainSeconds:F1} s");
        var schedule = estimator.Schedule;
        foreach (var n in counts)
        {
            using var generator = new Generator((ulong)(100 + n));
            using var observations = (tensor(Truth, dtype: ScalarType.Float32).unsqueeze(0).Plus(randn(new long[] { n, 2 }, generator: generator).Mul(Math.Sqrt(0.1)))).contiguous();
            var exactMean = observations.to(ScalarType.Float64).sum(new long[] { 0 }).data<double>().Select(v => v / (n + 1)).ToArray();
            var exactVariance = 0.1 / (n + 1);
            var draws = n >= 1000 ? 1000 : 2000;
            var sampler = new HeunSampler(n >= 1000 ? 60 : 100);
            foreach (var method in Enum.GetValues<CompositionMethod>())
            {
                // Exact single-observation denoiser.
                clock.Restart();
                var conditional = new GaussianPosteriorDenoiser(schedule, 2, 0, 0.1, 0.1);
                var prior = new GaussianDenoiser(schedule, new double[2], new[,] { { 0.1, 0 }, { 0, 0.1 } });
                using (var covariances = (eye(2, dtype: ScalarType.Float64).Mul(0.05)).unsqueeze(0).expand(n, 2, 2).contiguous())
                using (var composed = new CompositionalDenoiser(conditional, observations, prior, new CompositionOptions { Method = method }, covariances))
                {
                    var (a, s) = schedule.Scales(schedule.LogSnr(1.0));
                    using var g = new Generator(7);
                    using var initial = randn(new long[] { draws, 2 }, generator: g).Mul(Math.Sqrt(a * a * 0.1 / n + s * s));
                    using var samples = sampler.Sample(composed, zeros(draws, 0), g, initial);
                    rows.Add(Row("composition", method.ToString(), "exact", n, samples, exactMean, exactVariance, clock.Elapsed.TotalSeconds, sampler.Name));
                }
                // Trained network with the analytic prior (JAC only up to N = 100: it needs Dθ backward passes per observation).
                if (method == CompositionMethod.Jac && n > 100) continue;
                clock.Restart();
                try
                {
                    using var samples = estimator.SampleComposed(observations, draws, new CompositionOptions { Method = method },
                        new SamplingOptions { Sampler = sampler, Seed = 7 }, task.Prior);
                    rows.Add(Row("composition", method.ToString(), "network", n, samples, exactMean, exactVariance, clock.Elapsed.TotalSeconds, sampler.Name));
                }
                catch (InvalidOperationException e)
                {
                    rows.Add(new Dictionary<string, object> { ["experiment"] = "composition", ["method"] = method.ToString(), ["denoiser"] = "network", ["n"] = n, ["error"] = e.Message });
                }
                // The network's own unconditional mode as the prior denoiser: its errors at high noise partly cancel the conditional ones.
                if (method == CompositionMethod.Gauss)
                {
                    clock.Restart();
                    using var own = estimator.SampleComposed(observations, draws, new CompositionOptions { Method = method }, new SamplingOptions { Sampler = sampler, Seed = 7 });
                    rows.Add(Row("composition", method.ToString(), "network, own prior", n, own, exactMean, exactVariance, clock.Elapsed.TotalSeconds, sampler.Name));
                }
                Console.WriteLine($"N = {n}, {method}: done");
            }
        }
        // Prior swap: new prior N(μ′·(1, −1), s′²) against the conjugate posterior for x = (0.3, −0.2).
        var observed = new[] { 0.3, -0.2 };
        var trainingPrior = task.Prior;
        foreach (var (shift, scale) in new[] { (0.0, 1.0), (0.25, 1.0), (0.5, 1.0), (1.0, 1.0), (2.0, 1.0), (0.0, 0.5), (0.0, 2.0), (1.0, 0.5) })
        {
            var priorSd = Math.Sqrt(0.1);
            var newMean = new[] { shift * priorSd, -shift * priorSd };
            var newSd = scale * priorSd;
            var variance = 1 / (1 / (newSd * newSd) + 1 / 0.1);
            var exactMean = newMean.Select((m, i) => variance * (m / (newSd * newSd) + observed[i] / 0.1)).ToArray();
            var newPrior = new DiagonalGaussianPrior(newMean, new[] { newSd, newSd });
            foreach (var method in Enum.GetValues<PriorSwapMethod>())
            {
                clock.Restart();
                using var samples = estimator.Sample(observed, 4000, new SamplingOptions { Sampler = new HeunSampler(30), Seed = 3 },
                    guidance: new[] { new PriorSwapGuidance(trainingPrior, newPrior) { Method = method } });
                var row = Row("prior-swap", method.ToString(), "network", 1, samples, exactMean, variance, clock.Elapsed.TotalSeconds, "heun-30");
                row["shift_prior_sd"] = shift;
                row["scale"] = scale;
                rows.Add(row);
            }
            Console.WriteLine($"prior swap shift {shift}, scale {scale}: done");
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "guidance.json"), JsonSerializer.Serialize(new { training_seconds = trainSeconds, rows }, new JsonSerializerOptions { WriteIndented = true }));
        AtomicFile.WriteAllText(Path.Combine(outDir, "guidance.md"), Markdown(rows, counts));
        Console.WriteLine(File.ReadAllText(Path.Combine(outDir, "guidance.md")));
        return 0;
    }

    private static Dictionary<string, object> Row(string experiment, string method, string denoiser, int n, Tensor samples, double[] exactMean, double exactVariance, double seconds, string sampler)
    {
        using var scope = NewDisposeScope();
        var s = samples.to(ScalarType.Float64);
        var mean = s.mean(new long[] { 0 }).data<double>().ToArray();
        var variance = s.var(0).data<double>().ToArray();
        double meanError = 0, ratio = 1;
        for (int j = 0; j < mean.Length; j++)
        {
            meanError = Math.Max(meanError, Math.Abs(mean[j] - exactMean[j]) / Math.Sqrt(exactVariance));
            var r = variance[j] / exactVariance;
            if (!double.IsFinite(r) || Math.Abs(Math.Log(r)) > Math.Abs(Math.Log(ratio))) ratio = r;
        }
        return new Dictionary<string, object>
        {
            ["experiment"] = experiment, ["method"] = method, ["denoiser"] = denoiser, ["n"] = n, ["sampler"] = sampler,
            ["mean_error_sd"] = meanError, ["variance_ratio"] = ratio, ["seconds"] = seconds,
        };
    }

    private static string Cell(Dictionary<string, object> r) => r.TryGetValue("error", out _)
        ? "diverged (threw)"
        : (double)r["mean_error_sd"] is var m && (!double.IsFinite(m) || m > 1e3)
        ? "diverged (> 10³ sd)"
        : string.Format(CultureInfo.InvariantCulture, "{0:F2} / ×{1:G3}", r["mean_error_sd"], r["variance_ratio"]);

    private static string Markdown(List<Dictionary<string, object>> rows, int[] counts)
    {
        var md = new StringBuilder();
        md.AppendLine("### Composition: error versus N (mean error in posterior sd / variance ratio)");
        md.AppendLine();
        md.AppendLine("| method | denoiser | " + string.Join(" | ", counts.Select(n => $"N = {n}")) + " |");
        md.AppendLine("|---|---|" + string.Concat(counts.Select(_ => "---|")));
        foreach (var method in Enum.GetNames<CompositionMethod>())
            foreach (var denoiser in new[] { "exact", "network", "network, own prior" })
            {
                if (denoiser == "network, own prior" && method != "Gauss") continue;
                var cells = counts.Select(n => rows.FirstOrDefault(r => (string)r["experiment"] == "composition" && (string)r["method"] == method && (string)r["denoiser"] == denoiser && (int)r["n"] == n) is { } r ? Cell(r) : "—");
                md.AppendLine($"| {method} | {denoiser} | {string.Join(" | ", cells)} |");
            }
        md.AppendLine();
        md.AppendLine("### Prior swap on the trained network: bias as the new prior moves away (mean error in posterior sd / variance ratio)");
        md.AppendLine();
        md.AppendLine("| new prior mean (training-prior sd) | new prior sd ÷ training | Tweedie | FirstOrder |");
        md.AppendLine("|---|---|---|---|");
        foreach (var group in rows.Where(r => (string)r["experiment"] == "prior-swap").GroupBy(r => ((double)r["shift_prior_sd"], (double)r["scale"])))
        {
            string Of(string m) => group.FirstOrDefault(r => (string)r["method"] == m) is { } r ? Cell(r) : "—";
            md.AppendLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2} | {3} |", group.Key.Item1, group.Key.Item2, Of("Tweedie"), Of("FirstOrder")));
        }
        return md.ToString();
    }
}
