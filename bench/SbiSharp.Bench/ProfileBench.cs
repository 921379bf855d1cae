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
using SbiSharp.Torch;
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
                var gemmMs = GemmOnlyMilliseconds(probe, batch, steps);
                var perStep = profile!.Seconds.ToDictionary(p => p.Key, p => p.Value / profile.Steps * 1000);
                var stepMs = profile.Total / profile.Steps * 1000;
                var flops = batch * forwardFlopsPerRow * 3 / (stepMs / 1000);
                var row = new Dictionary<string, object>
                {
                    ["threads"] = threads, ["batch"] = batch, ["steps"] = profile.Steps, ["ms_per_step"] = stepMs,
                    ["sgemm_gflops"] = sgemm / 1e9, ["ratio_to_sgemm"] = flops / sgemm, ["wall_seconds"] = seconds,
                    ["gemm_only_ms"] = gemmMs, ["gemm_only_ratio_to_sgemm"] = batch * forwardFlopsPerRow * 3 / (gemmMs / 1000) / sgemm,
                };
                foreach (var (phase, ms) in perStep) row[$"ms_{phase}"] = ms;
                rows.Add(row);
                Console.WriteLine(FormattableString.Invariant($"threads {threads} batch {batch}: {stepMs:F2} ms/step, {flops / sgemm:P0} of sgemm ({sgemm / 1e9:F1} GFLOP/s), GEMMs alone {gemmMs:F2} ms; ") +
                    string.Join(", ", perStep.Select(p => FormattableString.Invariant($"{p.Key} {p.Value:F2}"))));
            }
        }
        var ops = new List<Dictionary<string, object>>();
        foreach (var threads in new[] { cores, 1 }.Distinct())
        {
            set_num_threads(threads);
            foreach (var batch in new[] { 128, 256 })
                foreach (var (name, microseconds) in OpCosts(batch, spec.Width, steps))
                    ops.Add(new Dictionary<string, object> { ["threads"] = threads, ["batch"] = batch, ["op"] = name, ["microseconds"] = microseconds });
        }
        set_num_threads(cores);
        var report = new
        {
            date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            machine = $"{cores} cores, {Environment.OSVersion}, .NET {Environment.Version}",
            network_parameters = probe.parameters().Sum(p => p.numel()),
            forward_flops_per_row = forwardFlopsPerRow,
            rows,
            op_costs = ops,
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, "profile.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        md.AppendLine($"Training-step profile on {report.machine}, {report.date}: default network ({report.network_parameters:N0} parameters), default objective, Dθ = Dx = 10, {steps} steps per row after a 20-step warm-up; milliseconds per step by phase, and achieved FLOP/s (3 × forward FLOPs per row) ÷ an sgemm 1024³ measured after each row. \"GEMMs alone\" times only the matrix products a step needs (per weight W of shape (out, in): X Wᵀ, dY W and dYᵀ X at the step's batch), with nothing else: the most this network's shapes can reach through libtorch on this machine.");
        md.AppendLine();
        md.AppendLine("| threads | batch | " + string.Join(" | ", TrainingProfile.Phases) + " | ms / step | ÷ sgemm | GEMMs alone ms | GEMMs alone ÷ sgemm |");
        md.AppendLine("|---|---|" + string.Concat(TrainingProfile.Phases.Select(_ => "---|")) + "---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine(FormattableString.Invariant($"| {r["threads"]} | {r["batch"]} | ") + string.Join(" | ", TrainingProfile.Phases.Select(p => ((double)r[$"ms_{p}"]).ToString("F2", CultureInfo.InvariantCulture))) +
                FormattableString.Invariant($" | {(double)r["ms_per_step"]:F2} | {(double)r["ratio_to_sgemm"]:P0} | {(double)r["gemm_only_ms"]:F2} | {(double)r["gemm_only_ratio_to_sgemm"]:P0} |"));
        AtomicFile.WriteAllText(Path.Combine(outDir, "profile.md"), md.ToString());
        var opsMd = new StringBuilder();
        var opNames = ops.Select(o => (string)o["op"]).Distinct().ToList();
        opsMd.AppendLine($"One block's operations alone, forward and backward (autograd) on (B, {spec.Width}) float32 inputs (B = batch), microseconds (best of 5 × {steps} repetitions), {report.machine}, {report.date}.");
        opsMd.AppendLine();
        opsMd.AppendLine("| threads | batch | " + string.Join(" | ", opNames) + " |");
        opsMd.AppendLine("|---|---|" + string.Concat(opNames.Select(_ => "---|")));
        foreach (var g in ops.GroupBy(o => ((int)o["threads"], (int)o["batch"])))
            opsMd.AppendLine(FormattableString.Invariant($"| {g.Key.Item1} | {g.Key.Item2} | ") + string.Join(" | ", opNames.Select(n => ((double)g.First(o => (string)o["op"] == n)["microseconds"]).ToString("F0", CultureInfo.InvariantCulture))) + " |");
        AtomicFile.WriteAllText(Path.Combine(outDir, "op-costs.md"), opsMd.ToString());
        Console.WriteLine(opsMd);
        Console.WriteLine(md);
        return 0;
    }

    /// <summary>Milliseconds per step for the network's matrix products alone: for every weight (out, in), X Wᵀ, dY W and dYᵀ X at this batch.</summary>
    private static double GemmOnlyMilliseconds(ConditionalNetwork network, int batch, int steps)
    {
        using var scope = NewDisposeScope();
        var shapes = network.parameters().Where(p => p.dim() == 2).Select(p => (Out: p.shape[0], In: p.shape[1])).ToList();
        var generator = new Generator(4);
        var operands = shapes.Select(s => (W: randn(s.Out, s.In, generator: generator), X: randn(batch, s.In, generator: generator), G: randn(batch, s.Out, generator: generator))).ToList();
        void Step()
        {
            using var inner = NewDisposeScope();
            foreach (var (w, x, g) in operands)
            {
                x.matmul(w.t());
                g.matmul(w);
                g.t().matmul(x);
            }
        }
        for (int i = 0; i < 20; i++) Step();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) Step();
        return clock.Elapsed.TotalMilliseconds / steps;
    }

    /// <summary>Microseconds per forward + backward of each kind of operation in a residual block, one at a time.</summary>
    private static IEnumerable<(string Name, double Microseconds)> OpCosts(int batch, int width, int repetitions)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var x = randn(new long[] { batch, width }, generator: generator).requires_grad_(true);
        var upstream = randn(new long[] { batch, width }, generator: generator);
        var weight = randn(new long[] { width, width }, generator: generator).Mul(0.05).requires_grad_(true);
        var bias = zeros(width).requires_grad_(true);
        var time = randn(new long[] { batch, 33 }, generator: generator);
        var filmWeight = randn(new long[] { width, 33 }, generator: generator).Mul(0.05).requires_grad_(true);
        using var norm = nn.LayerNorm(width);
        double Time(Func<Tensor> op, bool backward = true)
        {
            void Once()
            {
                using var inner = NewDisposeScope();
                var y = op();
                if (backward) autograd.grad(new[] { y }, new[] { x }, new[] { upstream }, allow_unused: true);
            }
            for (int i = 0; i < 20; i++) Once();
            var best = double.MaxValue;
            for (int r = 0; r < 5; r++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < repetitions; i++) Once();
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds * 1000 / repetitions);
            }
            return best;
        }
        yield return ("linear (GEMM)", Time(() => nn.functional.linear(x, weight, bias)));
        yield return ("FiLM linear", Time(() => nn.functional.linear(time, filmWeight).Plus(x)));
        yield return ("LayerNorm", Time(() => norm.forward(x)));
        yield return ("add", Time(() => x.Plus(x)));
        yield return ("Mish", Time(() => x.Mish()));
        yield return ("SiLU (not used)", Time(() => nn.functional.silu(x)));
        yield return ("dropout mask (no grad)", Time(() => rand(new long[] { batch, width }, generator: generator).GeInPlace(0.05).DivInPlace(0.95), backward: false));
        yield return ("dropout multiply", Time(() => x.mul(upstream)));
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
