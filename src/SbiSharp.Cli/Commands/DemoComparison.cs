using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Data;
using SbiSharp.Diagnostics;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Plotting;
using SbiSharp.Tasks;
using SbiSharp.Training;
using Spectre.Console;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Cli.Commands;

/// <summary>`sbisharp demo --compare`: the tutorial's comparison of model families on the same inverse-kinematics data (diffusion, flow matching, consistency
/// training, stable consistency), each with its default sampler, against a rejection reference; arm plots in one figure and one table.</summary>
internal static class DemoComparison
{
    /// <summary>The compared families: registered designs (the --method names), in the tutorial's order.</summary>
    public static readonly string[] Methods = { "edm-vp", "flow-matching", "consistency", "stable-consistency" };

    /// <summary>Prior draws of the rejection reference (about 400 kept at the tolerance).</summary>
    public const long ReferenceDraws = 100_000_000;

    /// <summary>End-point tolerance of the rejection reference.</summary>
    public const double ReferenceTolerance = 0.01;

    private sealed record Row(string Method, string Sampler, double TrainingSeconds, long Steps, double SecondsPer1000, double NetworkEvaluations,
        double MedianEndPointError, double ElbowUp, double C2st, int ReferenceRows);

    public static int Run(string outDir, int simulations, TrainingOptions training, Networks.NetworkOptions network, long seed)
    {
        AtomicFile.CheckWritableFolder(outDir, "--out");
        var task = InverseKinematicsTask.Create();
        var observed = InverseKinematicsTask.TutorialObservation.ToArray();
        AnsiConsole.MarkupLine($"[bold]SbiSharp demo --compare[/]: inverse kinematics, {simulations:N0} simulations, {string.Join(", ", Methods)}; output [blue]{Markup.Escape(Path.GetFullPath(outDir))}[/]");
        using var generator = new Generator((ulong)seed);
        using var data = ConsoleProgress.Run("Simulating", simulations, update =>
            InMemoryDataset.Simulate(task.Joint(), simulations, generator, chunk: 1_000, progress: new SynchronousProgress<long>(n => update(n, null))));
        using var referenceGenerator = new Generator(2026);
        using var reference = ConsoleProgress.Run("Rejection reference", 1.0, _ =>
            InverseKinematicsTask.RejectionReference(observed, ReferenceDraws, ReferenceTolerance, referenceGenerator));
        var referenceRows = (int)reference.shape[0];
        var rows = new List<Row>();
        var panels = new List<(string, IReadOnlyList<IReadOnlyList<(double X, double Y)>>)> { ($"Rejection reference ({referenceRows} of {ReferenceDraws:G2} prior draws)", DemoPlots.Arms(reference, 100)) };
        foreach (var method in Methods)
        {
            var options = DiffusionDesigns.Apply(DiffusionEstimatorOptions.Default with { Network = network, InitializationSeed = seed }, method);
            using var estimator = new DiffusionPosteriorEstimator(task.Prior, task.ObservationDimension, options, task.ParameterNames);
            var trained = ConsoleProgress.Train($"Training {method}", estimator, data, training);
            estimator.Save(Path.Combine(outDir, $"model_{method}.sbis"));
            var sampling = SamplingOptions.Default with { Seed = seed + 1 };
            using var x = tensor(observed, new long[] { 1, 2 }, ScalarType.Float32);
            estimator.Draw(x, 100, sampling).Dispose(); // warm-up, so the timing below is of sampling alone
            var clock = Stopwatch.StartNew();
            using var drawn = estimator.Draw(x, 1_000, sampling);
            var seconds = clock.Elapsed.TotalSeconds;
            var samples = drawn.Samples[0];
            CsvTable.FromTensor(samples, task.ParameterNames).Write(Path.Combine(outDir, $"samples_{method}.csv"));
            using var distances = InverseKinematicsTask.EndPointDistance(samples, observed);
            using var forC2st = estimator.Sample(x, referenceRows, sampling with { Seed = seed + 2 });
            var c2st = C2st.Score(reference, forC2st[0]).Accuracy;
            double elbowUp;
            using (var scope = NewDisposeScope()) elbowUp = samples[.., 1].Gt(0).to(ScalarType.Float32).mean().item<float>();
            rows.Add(new Row(method, estimator.DefaultSampler.Name, trained.Seconds, trained.Steps, seconds, drawn.NetworkEvaluations,
                distances.median().item<float>(), elbowUp, c2st, referenceRows));
            panels.Add(($"{method} ({estimator.DefaultSampler.Name})", DemoPlots.Arms(samples, 100)));
        }
        ArmPlot.Save(Path.Combine(outDir, "arm_compare.png"), panels, (observed[0], observed[1]));
        double refUp;
        using (var scope = NewDisposeScope()) refUp = reference[.., 1].Gt(0).to(ScalarType.Float32).mean().item<float>();
        AtomicFile.WriteAllText(Path.Combine(outDir, "compare.json"), JsonSerializer.Serialize(new
        {
            task = task.Name, observation = observed, simulations, reference = new { draws = ReferenceDraws, tolerance = ReferenceTolerance, rows = referenceRows, elbow_up = refUp },
            training = new { epochs = training.Epochs, time_limit_seconds = training.TimeLimit?.TotalSeconds, max_steps = training.MaxSteps },
            date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), machine = $"{Environment.ProcessorCount} cores",
            rows = rows.Select(r => new
            {
                method = r.Method, sampler = r.Sampler, training_seconds = r.TrainingSeconds, steps = r.Steps, seconds_per_1000_draws = r.SecondsPer1000,
                network_evaluations = r.NetworkEvaluations, median_end_point_error = r.MedianEndPointError, elbow_up = r.ElbowUp, c2st = r.C2st,
            }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        md.AppendLine(FormattableString.Invariant($"Inverse kinematics at x = (0, 1.5), {simulations:N0} simulations, the demo's training options for every family; C2ST of {referenceRows} draws against the rejection reference ({referenceRows} of {ReferenceDraws:G2} prior draws within {ReferenceTolerance}; its elbow-up share {refUp:P1})."));
        md.AppendLine();
        md.AppendLine("| method | sampler | training s | steps | s per 1,000 draws | network evaluations | median reach error | elbow up | C2ST |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine(FormattableString.Invariant($"| {r.Method} | {r.Sampler} | {r.TrainingSeconds:F0} | {r.Steps} | {r.SecondsPer1000:F3} | {r.NetworkEvaluations:0.#} | {r.MedianEndPointError:F3} | {r.ElbowUp:P1} | {r.C2st:F3} |"));
        AtomicFile.WriteAllText(Path.Combine(outDir, "compare.md"), md.ToString());
        var table = new Table().AddColumns("method", "sampler", "training s", "s / 1k draws", "NFE", "reach error", "elbow up", "C2ST");
        foreach (var r in rows)
            table.AddRow(r.Method, r.Sampler, $"{r.TrainingSeconds:F0}", $"{r.SecondsPer1000:F3}", $"{r.NetworkEvaluations:0.#}", $"{r.MedianEndPointError:F3}", $"{r.ElbowUp:P1}", $"{r.C2st:F3}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"wrote compare.md, compare.json, arm_compare.png, samples_*.csv, model_*.sbis to [blue]{Markup.Escape(Path.GetFullPath(outDir))}[/]");
        return 0;
    }
}
