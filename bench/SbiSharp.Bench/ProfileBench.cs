using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.IO;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Bench;

/// <summary>
/// Where a training step's time goes: the default network and objective on sbibm's gaussian_linear (Dθ = Dx = 10), trained by the
/// library's <see cref="Trainer"/> with its <see cref="TrainingProfile"/> set, per batch size and intra-op thread count, next to an sgemm
/// measured in the same run. Writes profile.json and profile.md.
/// </summary>
internal static class ProfileBench
{
    public static int Run(string outDir, int steps)
    {
        Directory.CreateDirectory(outDir);
        var task = GaussianLinearTask.Create();
        var spec = NetworkOptions.Default;
        using var probe = spec.Create(task.ParameterDimension, task.ObservationDimension, new Generator(1));
        var forwardFlopsPerRow = 2.0 * probe.parameters().Where(p => p.dim() == 2).Sum(p => (double)p.numel());
        var cores = Environment.ProcessorCount;
        var rows = new List<Dictionary<string, object>>();
        foreach (var threads in new[] { cores, 1 }.Distinct())
        {
            set_num_threads(threads);
            foreach (var batch in new[] { 128, 256 })
            {
                var (profile, seconds) = Profile(task, spec, batch, 20, null); // warm-up: first-call costs and allocator
                (profile, seconds) = Profile(task, spec, batch, steps, new TrainingProfile());
                var sgemm = SpeedBenchmark.Sgemm(1024, 10);
                var perStep = profile!.Seconds.ToDictionary(p => p.Key, p => p.Value / profile.Steps * 1000);
                var stepMs = profile.Total / profile.Steps * 1000;
                var flops = batch * forwardFlopsPerRow * 3 / (stepMs / 1000);
                var row = new Dictionary<string, object>
                {
                    ["threads"] = threads, ["batch"] = batch, ["steps"] = profile.Steps, ["ms_per_step"] = stepMs,
                    ["sgemm_gflops"] = sgemm / 1e9, ["ratio_to_sgemm"] = flops / sgemm, ["wall_seconds"] = seconds,
                };
                foreach (var (phase, ms) in perStep) row[$"ms_{phase}"] = ms;
                rows.Add(row);
                Console.WriteLine(FormattableString.Invariant($"threads {threads} batch {batch}: {stepMs:F2} ms/step, {flops / sgemm:P0} of sgemm ({sgemm / 1e9:F1} GFLOP/s); ") +
                    string.Join(", ", perStep.Select(p => FormattableString.Invariant($"{p.Key} {p.Value:F2}"))));
            }
        }
        set_num_threads(cores);
        var report = new
        {
            date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            machine = $"{cores} cores, {Environment.OSVersion}, .NET {Environment.Version}",
            network_parameters = probe.parameters().Sum(p => p.numel()),
            forward_flops_per_row = forwardFlopsPerRow,
            rows,
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, "profile.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        md.AppendLine($"Training-step profile on {report.machine}, {report.date}: default network ({report.network_parameters:N0} parameters), default objective, Dθ = Dx = 10, {steps} steps per row after a 20-step warm-up; milliseconds per step by phase, and achieved FLOP/s (3 × forward FLOPs per row) ÷ an sgemm 1024³ measured after each row.");
        md.AppendLine();
        md.AppendLine("| threads | batch | " + string.Join(" | ", TrainingProfile.Phases) + " | ms / step | ÷ sgemm |");
        md.AppendLine("|---|---|" + string.Concat(TrainingProfile.Phases.Select(_ => "---|")) + "---|---|");
        foreach (var r in rows)
            md.AppendLine(FormattableString.Invariant($"| {r["threads"]} | {r["batch"]} | ") + string.Join(" | ", TrainingProfile.Phases.Select(p => ((double)r[$"ms_{p}"]).ToString("F2", CultureInfo.InvariantCulture))) +
                FormattableString.Invariant($" | {(double)r["ms_per_step"]:F2} | {(double)r["ratio_to_sgemm"]:P0} |"));
        AtomicFile.WriteAllText(Path.Combine(outDir, "profile.md"), md.ToString());
        Console.WriteLine(md);
        return 0;
    }

    private static (TrainingProfile? Profile, double Seconds) Profile(SbiTask task, NetworkSpec spec, int batch, int steps, TrainingProfile? profile)
    {
        using var data = InMemoryDataset.Simulate(task.Joint(), (long)batch * steps, new Generator(1));
        using var network = spec.Create(task.ParameterDimension, task.ObservationDimension, new Generator(2));
        using var average = spec.Create(task.ParameterDimension, task.ObservationDimension, new Generator(3));
        var objective = new DenoisingObjective(new EdmSchedule(), new EdmParameterization(), new NoiseParameterization(), new EdmWeighting());
        var options = TrainingOptions.Default with { Epochs = 1, BatchSize = batch, Validation = ValidationSource.None, EarlyStoppingPatience = 0 };
        var trainer = new Trainer(network, average, objective, options) { Profile = profile };
        var clock = Stopwatch.StartNew();
        trainer.Run(data, weightDecay: options.WeightDecay);
        return (profile, clock.Elapsed.TotalSeconds);
    }
}
