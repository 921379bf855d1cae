using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.IO;

namespace SbiSharp.Bench;

/// <summary>
/// Speed of the default network on this machine: training steps/s at several batch sizes next to a plain sgemm measured in the
/// same run (reported as achieved FLOP/s ÷ sgemm FLOP/s), and seconds per 10,000 posterior draws per sampler and step count.
/// </summary>
internal static class SpeedBenchmark
{
    public static int Run(string outDir, bool quick)
    {
        Directory.CreateDirectory(outDir);
        var task = GaussianLinearTask.Create();
        using var estimator = new DiffusionPosteriorEstimator(task.ParameterDimension, task.ObservationDimension);
        var sgemm = Sgemm(1024, quick ? 5 : 20);
        Console.WriteLine($"sgemm 1024: {sgemm / 1e9:F1} GFLOP/s; torch threads {get_num_threads()}");
        var forwardFlopsPerRow = 2.0 * estimator.Denoiser.Network.parameters().Where(p => p.dim() == 2).Sum(p => (double)p.numel());

        var training = new List<object>();
        foreach (var batch in new[] { 128, 256, 512 })
        {
            using var data = InMemoryDataset.Simulate(task.Joint(), batch * (quick ? 20 : 60), new Generator(1));
            using var model = new DiffusionPosteriorEstimator(task.ParameterDimension, task.ObservationDimension);
            var result = model.Train(data, TrainingOptions.Default with { Epochs = 2, BatchSize = batch, ValidationFraction = 0.02, EarlyStoppingPatience = 0 });
            var flops = result.StepsPerSecond * batch * forwardFlopsPerRow * 3; // forward + backward ≈ 3 forward passes
            var sgemmNow = Sgemm(1024, quick ? 3 : 10);
            training.Add(new { batch, steps_per_second = result.StepsPerSecond, samples_per_second = result.StepsPerSecond * batch, achieved_gflops = flops / 1e9, sgemm_gflops = sgemmNow / 1e9, ratio = flops / sgemmNow });
            Console.WriteLine($"train batch {batch}: {result.StepsPerSecond:F1} steps/s, {flops / 1e9:F1} GFLOP/s = {flops / sgemmNow:P0} of sgemm ({sgemmNow / 1e9:F1})");
        }

        var draws = quick ? 1_000 : 10_000;
        var samplers = new DiffusionSampler[]
        {
            new HeunSampler(10), new HeunSampler(20), new HeunSampler(30), new HeunSampler(50),
            new EulerMaruyamaSampler(50), new EulerMaruyamaSampler(100), new EulerMaruyamaSampler(250), new EulerMaruyamaSampler(500),
        };
        var sampling = new List<object>();
        var x = new double[task.ObservationDimension];
        estimator.Sample(x, draws, new SamplingOptions { Sampler = new HeunSampler(2) }).Dispose(); // warm-up at full size (allocator)
        foreach (var sampler in samplers)
        {
            var sgemmNow = Sgemm(1024, quick ? 3 : 10);
            var clock = Stopwatch.StartNew();
            using var xRow = tensor(x, new long[] { 1, x.Length }, ScalarType.Float32);
            using var drawn = estimator.Draw(xRow, draws, new SamplingOptions { Sampler = sampler, Seed = 1 });
            var seconds = clock.Elapsed.TotalSeconds * 10_000.0 / draws;
            var flops = (double)draws * drawn.NetworkEvaluations * forwardFlopsPerRow / clock.Elapsed.TotalSeconds;
            sampling.Add(new { sampler = sampler.Name, network_evaluations = drawn.NetworkEvaluations, seconds_per_10000_draws = seconds, sgemm_gflops = sgemmNow / 1e9, ratio_to_sgemm = flops / sgemmNow });
            Console.WriteLine($"{sampler.Name}: {seconds:F2} s per 10,000 draws ({drawn.NetworkEvaluations:0.#} NFE, {flops / sgemmNow:P0} of sgemm {sgemmNow / 1e9:F0})");
        }

        var report = new
        {
            date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
            quick,
            network_parameters = estimator.ParameterCount,
            forward_flops_per_row = forwardFlopsPerRow,
            sgemm_gflops = sgemm / 1e9,
            training,
            sampling,
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, "speed.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        md.AppendLine($"Speed on {report.machine}, {report.date} (default network, {estimator.ParameterCount:N0} parameters, Dθ = Dx = 10; sgemm 1024³ measured next to every row; ratios divide achieved FLOP/s by that sgemm FLOP/s).");
        md.AppendLine();
        md.AppendLine("| batch | steps/s | samples/s | achieved GFLOP/s | ÷ sgemm |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (dynamic row in training)
            md.AppendLine(FormattableString.Invariant($"| {row.batch} | {row.steps_per_second:F1} | {row.samples_per_second:F0} | {row.achieved_gflops:F1} | {row.ratio:P0} |"));
        md.AppendLine();
        md.AppendLine("| sampler | network evaluations | s per 10,000 draws | ÷ sgemm |");
        md.AppendLine("|---|---|---|---|");
        foreach (dynamic row in sampling)
            md.AppendLine(FormattableString.Invariant($"| {row.sampler} | {row.network_evaluations} | {row.seconds_per_10000_draws:F2} | {row.ratio_to_sgemm:P0} |"));
        AtomicFile.WriteAllText(Path.Combine(outDir, "speed.md"), md.ToString());
        Console.WriteLine(md);
        return 0;
    }

    /// <summary>FLOP/s of an n × n sgemm, the yardstick every speed ratio divides by.</summary>
    internal static double Sgemm(int n, int repeats)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        a.mm(b).Dispose();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) a.mm(b).Dispose();
        return 2.0 * n * n * n * repeats / clock.Elapsed.TotalSeconds;
    }
}
