using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using SbiSharp.Data;
using SbiSharp.Diagnostics;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Tasks;
using SbiSharp.Torch;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Bench;

/// <summary>
/// The review's high-dimensional claim, measured on a task with an exact posterior (<see cref="CorrelatedLinearGaussianTask"/>,
/// Dθ = Dx = 64): every compared design trained by the library's defaults on the same simulations, then (a) per observation
/// (prior-predictive draws) the posterior-mean error in exact posterior sds, the draws' variance over the exact variance and
/// C2ST against exact draws; (b) TARP's largest ECP deviation over 200 observations × 100 draws. Writes results.json and results.md.
/// </summary>
internal static class HighDimensionalBench
{
    private static readonly string[] Designs = { "edm-vp", "flow-matching", "flow-matching-ot" };

    public static int Run(string outDir, long budget, int observations, IReadOnlyList<string>? designs = null)
    {
        Directory.CreateDirectory(outDir);
        var problem = new CorrelatedLinearGaussianTask();
        var task = problem.Task;
        var d = problem.Dimension;
        using var data = InMemoryDataset.Simulate(task.Joint(), budget, new Generator(42));
        using var held = InMemoryDataset.Simulate(task.Joint(), observations + 200, new Generator(7));
        var xs = held.X[..observations];
        var tarpX = held.X[observations..];
        var tarpTheta = held.Theta[observations..];
        // Σ_post does not depend on x: its Cholesky factor (transposed, for row draws z Lᵀ) once for every observation.
        var exactCholesky = Matrix<double>.Build.DenseOfArray(problem.ExactPosterior(new double[d]).Covariance).Cholesky().Factor;
        using var exactCholeskyT = tensor(exactCholesky.ToRowMajorArray(), new long[] { d, d }, ScalarType.Float64).t();
        var rows = new List<Dictionary<string, object>>();
        foreach (var design in designs ?? Designs)
        {
            var options = DiffusionDesigns.Apply(DiffusionEstimatorOptions.Default, design);
            using var estimator = new DiffusionPosteriorEstimator(task.Prior, d, options, task.ParameterNames);
            var clock = Stopwatch.StartNew();
            var training = estimator.Train(data, TrainingOptions.Default);
            var trainSeconds = clock.Elapsed.TotalSeconds;
            var meanErrors = new List<double>();
            var varianceRatios = new List<double>();
            var c2sts = new List<double>();
            double sampleSeconds = 0;
            for (int k = 0; k < observations; k++)
            {
                using var scope = NewDisposeScope();
                var x = xs[k..(k + 1)].to(ScalarType.Float64).data<double>().ToArray();
                var (mean, covariance) = problem.ExactPosterior(x);
                clock.Restart();
                using var drawn = estimator.Draw(xs[k..(k + 1)], 10_000, new SamplingOptions { Seed = k + 1 });
                sampleSeconds += clock.Elapsed.TotalSeconds;
                var draws = drawn.Samples[0].to(ScalarType.Float64);
                var exactMean = tensor(mean, ScalarType.Float64);
                var exactSd = tensor(Enumerable.Range(0, d).Select(i => Math.Sqrt(covariance[i, i])).ToArray(), ScalarType.Float64);
                meanErrors.Add(((draws.mean(new long[] { 0 }) - exactMean).abs() / exactSd).mean().item<double>());
                varianceRatios.Add((draws.var(0) / exactSd.Square()).mean().item<double>());
                using var generator = new Generator((ulong)(1000 + k));
                var z = randn(new long[] { 10_000, d }, dtype: ScalarType.Float64, generator: generator);
                var exact = z.matmul(exactCholeskyT).Plus(exactMean);
                c2sts.Add(C2st.Score(exact.to(ScalarType.Float32), draws.to(ScalarType.Float32)).Accuracy);
                Console.WriteLine(FormattableString.Invariant($"{design} observation {k + 1}: mean error {meanErrors[^1]:F3} sd, variance ratio {varianceRatios[^1]:F3}, C2ST {c2sts[^1]:F3}"));
            }
            double tarp;
            using (var scope = NewDisposeScope())
            {
                using var drawn = estimator.Draw(tarpX, 100, new SamplingOptions { Seed = 99 });
                tarp = Tarp.Compute(drawn.Samples, tarpTheta).MaxDeviation;
            }
            var row = new Dictionary<string, object>
            {
                ["design"] = design, ["budget"] = budget, ["observations"] = observations,
                ["mean_error_sd"] = meanErrors.Average(), ["variance_ratio"] = varianceRatios.Average(), ["c2st"] = c2sts.Average(),
                ["c2st_per_observation"] = c2sts, ["tarp_max_deviation"] = tarp,
                ["training_seconds"] = trainSeconds, ["epochs"] = training.Losses.Count, ["stop_reason"] = training.StopReason,
                ["seconds_per_10000_draws"] = sampleSeconds / observations,
            };
            rows.Add(row);
            Console.WriteLine(FormattableString.Invariant($"{design}: mean error {row["mean_error_sd"]:F3} sd, variance ratio {row["variance_ratio"]:F3}, C2ST {row["c2st"]:F3}, TARP {tarp:F3}, training {trainSeconds:F0} s ({training.StopReason})"));
        }
        var contraction = problem.Contraction();
        var report = new
        {
            date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            machine = $"{Environment.ProcessorCount} cores, .NET {Environment.Version}",
            task = CorrelatedLinearGaussianTask.Name, dimension = d, correlation_length = problem.CorrelationLength, noise = problem.Noise,
            posterior_sd_over_prior_sd = new { min = contraction.Min(), max = contraction.Max() },
            rows,
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        md.AppendLine(FormattableString.Invariant($"{CorrelatedLinearGaussianTask.Name} (Dθ = Dx = {d}, prior correlation length {problem.CorrelationLength}, noise sd {problem.Noise}; posterior sd / prior sd {contraction.Min():F2}–{contraction.Max():F2}) at {budget:N0} simulations, library defaults per design, {report.date}, {report.machine}. Mean error: |posterior-mean error| in exact posterior sds, averaged over coordinates and {observations} observations; variance ratio: the draws' variance over the exact one, same average; C2ST against 10,000 exact draws; TARP: largest ECP deviation over 200 observations × 100 draws (0 is calibrated)."));
        md.AppendLine();
        md.AppendLine("| design | mean error (sd) | variance ratio | C2ST | TARP max dev. | training s | epochs | s per 10k draws |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine(FormattableString.Invariant($"| {r["design"]} | {(double)r["mean_error_sd"]:F3} | {(double)r["variance_ratio"]:F3} | {(double)r["c2st"]:F3} | {(double)r["tarp_max_deviation"]:F3} | {(double)r["training_seconds"]:F0} | {r["epochs"]} | {(double)r["seconds_per_10000_draws"]:F1} |"));
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.md"), md.ToString());
        Console.WriteLine(md);
        return 0;
    }
}
