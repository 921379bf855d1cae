using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Registration;
using SbiSharp.Sampling;
using SbiSharp.States;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Bench;

/// <summary>
/// Zero-shot posterior sampling against the exact answer (states half: x the state, y the observation). A periodic Gaussian random field prior on an
/// H×W grid has an exact denoiser and, under every linear-Gaussian observation, an exact posterior; each method is measured against it:
/// (1) with the exact denoiser, at every size; (2) with a U-Net prior learned from draws of the same field; (3) seconds per draw of a U-Net prior at
/// 64×64 (4,096 unknowns). Writes results.json, results.md (accuracy), timing.md (speed) and zero-shot.png.
/// </summary>
/// <remarks>Metrics per pixel, then averaged over pixels, against the exact posterior N(μ, s²): posterior-mean error |m̂ − μ|/s (root mean square), variance
/// ratio v̂/s² (mean), and the exact posterior mass inside the draws' central 90 % interval (0.90 when calibrated). Matheron's exact draws give the Monte-Carlo
/// floor of each metric at the same number of draws.</remarks>
internal static class ZeroShotBench
{
    private const double NoiseVariance = 0.01;

    /// <summary>Every method measured: MMPS at 1, 3 and 10 CG iterations, then every other registered method at its defaults.</summary>
    private static IReadOnlyList<(string Name, ZeroShotMethod Method)> Methods() =>
        new[] { 1, 3, 10 }.Select(k => ($"mmps CG-{k}", (ZeroShotMethod)new MmpsMethod { CgIterations = k }))
            .Concat(Registries.ZeroShotMethods.Names.Where(n => n != "mmps").Select(n => (n, Registries.ZeroShotMethods.Create(n))))
            .ToArray();

    /// <summary>The observation operators of one grid: the names are the table's.</summary>
    /// <remarks>Above 32×32 the blur (one output per pixel) is left out: its dense exact posterior (4,096 outputs at 64×64) ran out of the 24 GB here.</remarks>
    private static IReadOnlyList<(string Name, ILinearOperator[] Parts)> Operators(int size) => new (string, ILinearOperator[])[]
    {
        ("mask 10 %", new ILinearOperator[] { PixelMask.Random(size * size, 0.1, seed: 3) }),
        ("blur σ = 1", new ILinearOperator[] { new PeriodicBlur(size, size, 1.0) }),
        ("coarse ×4", new ILinearOperator[] { new AveragePooling(size, size, 4) }),
        ("mask 10 % + coarse ×4", new ILinearOperator[] { PixelMask.Random(size * size, 0.1, seed: 3), new AveragePooling(size, size, 4) }),
    }.Where(o => size <= 32 || o.Item1 != "blur σ = 1").ToArray();

    public static int Run(string outDir, int[] sizes, int draws, int learnedSize, double trainMinutes, int learnedDraws, int[] timingWidths, int timingDraws)
    {
        Directory.CreateDirectory(outDir);
        var sampler = new DpmSolverPlusPlusSampler();
        var rows = new List<Row>();
        var panels = new List<(string, double[,])>();

        foreach (var size in sizes)
        {
            var field = new GaussianRandomField(size, size, lengthScale: size / 6.0);
            var truth = Truth(field);
            var exactDenoiser = field.Denoiser(new EdmSchedule());
            foreach (var (name, parts) in Operators(size))
            {
                var observations = Observe(parts, truth);
                using var exact = Exact(field, observations);
                using (var generator = new Generator(8))
                {
                    var clock = Stopwatch.StartNew();
                    using var matheron = field.PosteriorSample(observations, draws, generator);
                    rows.Add(exact.Row(size, name, "exact denoiser", "Matheron (exact draws)", matheron, clock.Elapsed.TotalSeconds / draws, 0, 0));
                }
                foreach (var (method, choice) in Methods())
                {
                    var counting = new CountingDenoiser(exactDenoiser);
                    var posterior = choice.Wrap(counting, observations);
                    var clock = Stopwatch.StartNew();
                    using var none = zeros(draws, 0, dtype: ScalarType.Float64);
                    using var drawn = sampler.Sample(posterior, none, new Generator(5));
                    var seconds = clock.Elapsed.TotalSeconds / draws;
                    var calls = (double)counting.Rows / draws;
                    rows.Add(exact.Row(size, name, "exact denoiser", method, drawn, seconds, calls, calls * choice.BackwardPasses));
                    if (size == sizes[0] && name == "mask 10 % + coarse ×4" && method == "mmps CG-10")
                        Panels(panels, field, truth, exact, drawn, size);
                }
                Console.WriteLine($"{size}×{size} {name}: {string.Join("; ", rows.Where(r => r.Size == size && r.Observation == name).Select(r => $"{r.Method} {r.MeanError:F3}/{r.VarianceRatio:F2}"))}");
            }
        }
        if (panels.Count > 0) Plotting.FieldPlot.Save(Path.Combine(outDir, "zero-shot.png"), panels, 4);

        object? learned = null;
        if (trainMinutes > 0) learned = Learned(rows, learnedSize, trainMinutes, learnedDraws, sampler);
        var timing = timingWidths.Select(w => Timing(w, timingDraws)).ToList();

        var result = new { sampler = sampler.Name, noiseVariance = NoiseVariance, draws, learnedDraws, learned, rows, timing };
        File.WriteAllText(Path.Combine(outDir, "results.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(outDir, "results.md"), AccuracyTable(rows, draws, learnedDraws, sampler.Name));
        File.WriteAllText(Path.Combine(outDir, "timing.md"), TimingTable(timing, sampler.Name));
        Console.WriteLine(File.ReadAllText(Path.Combine(outDir, "results.md")));
        Console.WriteLine(File.ReadAllText(Path.Combine(outDir, "timing.md")));
        return 0;
    }

    private static double[] Truth(GaussianRandomField field)
    {
        using var generator = new Generator(21);
        using var state = field.Sample(1, generator, ScalarType.Float64);
        return state.data<double>().ToArray();
    }

    private static ObservationSet Observe(ILinearOperator[] parts, double[] truth) =>
        new(parts.Select((op, k) => LinearGaussianObservation.Simulate(op, truth, NoiseVariance, seed: 10 + k)).ToArray());

    private static ExactPosterior Exact(GaussianRandomField field, ObservationSet observations)
    {
        using var scope = NewDisposeScope();
        var (mean, covariance) = field.Posterior(observations);
        var sd = covariance.diagonal().sqrt();
        return new ExactPosterior(mean.MoveToOuterDisposeScope(), sd.MoveToOuterDisposeScope());
    }

    /// <summary>A U-Net prior trained on draws of the field, then every method with it, against the same exact posterior.</summary>
    private static object Learned(List<Row> rows, int size, double trainMinutes, int draws, DiffusionSampler sampler)
    {
        var field = new GaussianRandomField(size, size, lengthScale: size / 6.0);
        using var generator = new Generator(31);
        using var flat = field.Sample(20_000, generator);
        using var states = flat.reshape(-1, 1, size, size);
        using var prior = new DiffusionPrior(new[] { 1, size, size }, DiffusionEstimatorOptions.Default with { Network = UNetSpec.Default with { Width = 16 } });
        var clock = Stopwatch.StartNew();
        var training = prior.Train(states, TrainingOptions.Default with { BatchSize = 64, LearningRate = 1e-3, TimeLimit = TimeSpan.FromMinutes(trainMinutes), WarmupSteps = 200 },
            new Progress<TrainingProgress>(p => { if (p.Epoch % 5 == 0) Console.WriteLine($"  learned GRF prior, epoch {p.Epoch}: step {p.Step}, validation {p.ValidationLoss:F4}"); }));
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var truth = Truth(field);
        foreach (var (name, parts) in Operators(size))
        {
            var observations = Observe(parts, truth);
            using var exact = Exact(field, observations);
            foreach (var (method, choice) in Methods())
            {
                clock.Restart();
                using var drawn = prior.SamplePosterior(observations, draws, choice, SamplingOptions.Default with { Sampler = sampler, Seed = 5 });
                var seconds = clock.Elapsed.TotalSeconds / draws;
                using var rowsOf = drawn.reshape(draws, -1).to(ScalarType.Float64);
                var calls = (double)(sampler.PlannedNetworkEvaluations ?? 0);
                rows.Add(exact.Row(size, name, "learned U-Net", method, rowsOf, seconds, calls, calls * choice.BackwardPasses));
            }
            using (var g = new Generator(8))
            using (var matheron = field.PosteriorSample(observations, draws, g))
                rows.Add(exact.Row(size, name, "learned U-Net", "Matheron (exact draws)", matheron, 0, 0, 0)); // the floor only: not timed (0)
            Console.WriteLine($"learned {size}×{size} {name}: {string.Join("; ", rows.Where(r => r.Prior == "learned U-Net" && r.Observation == name).Select(r => $"{r.Method} {r.MeanError:F3}/{r.VarianceRatio:F2}"))}");
        }
        return new { size, width = 16, parameters = prior.ParameterCount, trainingDraws = 20_000, steps = training.Steps, trainSeconds, stopReason = training.StopReason, bestValidationLoss = training.BestValidationLoss };
    }

    /// <summary>Seconds per posterior draw of a 64×64 U-Net prior (weights after a few training steps: speed does not depend on them), batched.</summary>
    private static TimingRow Timing(int width, int draws)
    {
        const int size = 64;
        var field = new GaussianRandomField(size, size, lengthScale: size / 6.0);
        using var generator = new Generator(41);
        using var flat = field.Sample(256, generator);
        using var states = flat.reshape(-1, 1, size, size);
        using var prior = new DiffusionPrior(new[] { 1, size, size }, DiffusionEstimatorOptions.Default with { Network = UNetSpec.Default with { Width = width } });
        prior.Train(states, TrainingOptions.Default with { BatchSize = 32, MaxSteps = 4, Epochs = 1, BatchesPerEpoch = 4 });
        var observations = Observe(Operators(size).Single(o => o.Name == "mask 10 % + coarse ×4").Parts, Truth(field));
        var sampler = new DpmSolverPlusPlusSampler();
        var seconds = new Dictionary<string, double>();
        foreach (var (method, choice) in Methods())
        {
            var clock = Stopwatch.StartNew();
            prior.SamplePosterior(observations, draws, choice, SamplingOptions.Default with { Sampler = sampler, Seed = 5 }).Dispose();
            seconds[method] = clock.Elapsed.TotalSeconds / draws;
            Console.WriteLine($"64×64 U-Net width {width}: {method} {seconds[method]:F2} s per draw");
        }
        var clock2 = Stopwatch.StartNew();
        prior.Sample(draws, SamplingOptions.Default with { Sampler = sampler, Seed = 5 }).Dispose();
        var unconditional = clock2.Elapsed.TotalSeconds / draws;
        return new TimingRow(width, prior.ParameterCount, draws, sampler.PlannedNetworkEvaluations ?? 0, unconditional, seconds);
    }

    private static void Panels(List<(string, double[,])> panels, GaussianRandomField field, double[] truth, ExactPosterior exact, Tensor drawn, int size)
    {
        double[,] Grid(Tensor flat) => Plotting.FieldPlot.Grid(flat, size, size);
        using var t = tensor(truth);
        using var mean = drawn.mean(new long[] { 0 });
        using var sd = drawn.std(0);
        panels.Add(("truth", Grid(t)));
        panels.Add(("exact posterior mean", Grid(exact.Mean)));
        panels.Add(("exact posterior sd", Grid(exact.Sd)));
        panels.Add(("MMPS CG-10 draw", Grid(drawn[0])));
        panels.Add(("field prior draw", Grid(field.Sample(1, new Generator(3), ScalarType.Float64)[0])));
        panels.Add(("MMPS CG-10 mean", Grid(mean)));
        panels.Add(("MMPS CG-10 sd", Grid(sd)));
        panels.Add(("MMPS CG-10 draw", Grid(drawn[1])));
    }

    private static string AccuracyTable(IReadOnlyList<Row> rows, int draws, int learnedDraws, string sampler)
    {
        var md = new StringBuilder();
        md.AppendLine(FormattableString.Invariant($"Periodic Gaussian random field (length scale H/6), noise variance {NoiseVariance}, {sampler}; {draws} draws per row with the exact denoiser, {learnedDraws} with the learned U-Net. ") +
            "Mean error: rms over pixels of |m̂ − μ|/s; variance ratio: mean v̂/s²; mass in 90 %: exact posterior mass inside the draws' central 90 % interval. Matheron rows are exact draws: the Monte-Carlo floor.");
        md.AppendLine();
        md.AppendLine("| grid | observation | prior | method | mean error (sd) | variance ratio | mass in 90 % | s per draw | denoiser calls per draw | VJPs per draw |");
        md.AppendLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Size}×{r.Size} | {r.Observation} | {r.Prior} | {r.Method} | {r.MeanError:F3} | {r.VarianceRatio:F3} | {r.Mass90:F3} | {r.SecondsPerDraw:G3} | {r.CallsPerDraw:F0} | {r.VjpsPerDraw:F0} |");
        return md.ToString();
    }

    private static string TimingTable(IReadOnlyList<TimingRow> timing, string sampler)
    {
        var md = new StringBuilder();
        if (timing.Count == 0) return "(not measured)\n";
        var methods = timing[0].Seconds.Keys.ToArray();
        md.AppendLine(CultureInfo.InvariantCulture, $"64×64 U-Net prior (4,096 unknowns), observation mask 10 % + coarse ×4, {sampler} ({timing[0].Evaluations} denoiser calls per draw), {timing[0].Draws} draws per batch, {Environment.ProcessorCount} cores; seconds per draw.");
        md.AppendLine();
        md.AppendLine("| U-Net width | weights | prior only | " + string.Join(" | ", methods) + " |");
        md.AppendLine("|---:|---:|---:|" + string.Concat(methods.Select(_ => "---:|")));
        foreach (var t in timing)
            md.AppendLine(FormattableString.Invariant($"| {t.Width} | {t.Parameters:N0} | {t.Unconditional:F2} | ") + string.Join(" | ", methods.Select(m => t.Seconds[m].ToString("F2", CultureInfo.InvariantCulture))) + " |");
        return md.ToString();
    }

    internal sealed record Row(int Size, string Observation, string Prior, string Method, double MeanError, double VarianceRatio, double Mass90, double SecondsPerDraw, double CallsPerDraw, double VjpsPerDraw);

    internal sealed record TimingRow(int Width, long Parameters, int Draws, int Evaluations, double Unconditional, IReadOnlyDictionary<string, double> Seconds);

    /// <summary>The exact posterior's per-pixel mean and sd, and the metrics of draws against it.</summary>
    private sealed class ExactPosterior(Tensor mean, Tensor sd) : IDisposable
    {
        public Tensor Mean { get; } = mean;

        public Tensor Sd { get; } = sd;

        public Row Row(int size, string observation, string prior, string method, Tensor draws, double seconds, double calls, double vjps)
        {
            using var scope = NewDisposeScope();
            var x = draws.to(ScalarType.Float64);
            var n = x.shape[0];
            var meanError = ((x.mean(new long[] { 0 }) - Mean) / Sd).Square().mean().sqrt().item<double>();
            var varianceRatio = (x.var(0) / Sd.Square()).mean().item<double>();
            var sorted = x.sort(0).Values;
            var lo = sorted[(long)Math.Floor(0.05 * (n - 1))];
            var hi = sorted[(long)Math.Ceiling(0.95 * (n - 1))];
            Tensor Phi(Tensor v) => ((v - Mean) / Sd).Div(Math.Sqrt(2)).erf().Add(1.0).Mul(0.5);
            var mass = (Phi(hi) - Phi(lo)).mean().item<double>();
            return new Row(size, observation, prior, method, meanError, varianceRatio, mass, seconds, calls, vjps);
        }

        public void Dispose()
        {
            Mean.Dispose();
            Sd.Dispose();
        }
    }

    /// <summary>Counts the rows the wrapped denoiser is called with (forward passes per draw).</summary>
    private sealed class CountingDenoiser(IDenoiser inner) : IDenoiser
    {
        public long Rows { get; private set; }

        public INoiseSchedule Schedule => inner.Schedule;

        public int ParameterDimension => inner.ParameterDimension;

        public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
        {
            Rows += thetaT.shape[0];
            return inner.Denoise(thetaT, logSnr, x);
        }
    }
}
