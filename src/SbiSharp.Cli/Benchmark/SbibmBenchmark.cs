using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SbiSharp.Data;
using SbiSharp.Diagnostics;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Cli.Benchmark;

/// <summary>Settings of one benchmark run.</summary>
internal sealed record BenchSettings(IReadOnlyList<string> Tasks, int Budget, string Out, long Seed, TrainingOptions Training, SamplingOptions Sampling,
    string? DataRoot, int Draws, IReadOnlyList<int> Observations, C2stOptions C2st, bool ReportOnly = false)
{
    /// <summary>Network and schedule of the trained models (from --width, --blocks and --method).</summary>
    public DiffusionEstimatorOptions Estimator { get; init; } = DiffusionEstimatorOptions.Default;

    /// <summary>Folder of trained teachers (TEACHERS/task/model.sbis, from --distill): each task's model is distilled from its teacher on the budget's simulations instead of trained from scratch; null: trained.</summary>
    public string? Distill { get; init; }

    /// <summary>Rounds of truncated sequential NPE per observation (from --sequential); 0: one amortized model per task.</summary>
    public int Sequential { get; init; }

    /// <summary>Members of the trained ensemble (from --ensemble); 1: a single model.</summary>
    public int Ensemble { get; init; } = 1;

    /// <summary>The transform of θ for each task's prior (from --transform); null: the default for the prior's support.</summary>
    public Func<SbiSharp.Priors.IPrior, SbiSharp.Spaces.ParameterTransform>? Transform { get; init; }
}

/// <summary>
/// The sbibm accuracy benchmark: per task one amortized model trained offline on exactly `budget` simulations, 10,000 draws
/// for each stored observation, and C2ST against the reference. Every finished step is on disk, so an interrupted run resumes.
/// </summary>
internal static class SbibmBenchmark
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static int Run(BenchSettings s)
    {
        Directory.CreateDirectory(s.Out);
        if (!s.ReportOnly)
            foreach (var name in s.Tasks) RunTask(name, s);
        WriteResults(s);
        return 0;
    }

    private static void RunTask(string name, BenchSettings s)
    {
        if (s.Sequential > 0)
        {
            RunSequentialTask(name, s);
            return;
        }
        var task = BuiltInTasks.Create(name, s.DataRoot);
        var data = new SbibmData(name, task.ParameterDimension, task.ObservationDimension, s.DataRoot);
        var dir = Path.Combine(s.Out, name);
        Directory.CreateDirectory(dir);
        var modelPath = Path.Combine(dir, "model.sbis");
        var trainingPath = Path.Combine(dir, "training.json");
        IDisposable model;
        Func<Tensor, int, SamplingOptions, SamplingResult> draw;
        if (File.Exists(modelPath) && File.Exists(trainingPath))
        {
            Console.WriteLine($"{name}: reusing trained model {modelPath}");
            (model, draw) = Load(modelPath);
        }
        else
        {
            using var generator = new Generator((ulong)s.Seed);
            var clock = Stopwatch.StartNew();
            using var simulations = ConsoleProgress.Run($"{name}: simulating", s.Budget, update =>
                InMemoryDataset.Simulate(task.Joint(), s.Budget, generator, 10_000, new SynchronousProgress<long>(n => update(n, null))));
            var simulationSeconds = clock.Elapsed.TotalSeconds;
            var estimatorOptions = s.Estimator with { InitializationSeed = s.Seed };
            var trainingOptions = s.Training with { Seed = s.Seed };
            IReadOnlyList<TrainingResult> results;
            if (s.Ensemble > 1)
            {
                var ensemble = PosteriorEnsemble.Create(task.Prior, task.ObservationDimension, s.Ensemble, estimatorOptions, task.ParameterNames, s.Transform?.Invoke(task.Prior));
                results = ConsoleProgress.Train($"{name}: training {s.Ensemble} members", ensemble, simulations, trainingOptions);
                ensemble.Save(modelPath);
                (model, draw) = (ensemble, (x, n, o) => ensemble.Draw(x, n, o));
            }
            else if (s.Distill is { } teachers)
            {
                var teacherPath = Path.Combine(teachers, name, "model.sbis");
                using var teacher = DiffusionPosteriorEstimator.Load(teacherPath);
                var spec = new ConsistencyDistillationSpec();
                var (student, distilled) = ConsoleProgress.Run($"{name}: distilling", (double)(trainingOptions.MaxSteps ?? spec.TrainingSteps), update =>
                    ConsistencyDistillation.Distill(teacher, simulations, spec, trainingOptions, teacherPath,
                        new SynchronousProgress<TrainingProgress>(p => update(p.Step, $"loss {p.Loss:F3} {p.StepsPerSecond:F0} steps/s")), StderrLogger.Instance));
                student.Save(modelPath);
                results = new[] { distilled };
                (model, draw) = (student, (x, n, o) => student.Draw(x, n, o));
            }
            else
            {
                var estimator = new DiffusionPosteriorEstimator(task.Prior, task.ObservationDimension, estimatorOptions, task.ParameterNames, s.Transform?.Invoke(task.Prior));
                results = new[] { ConsoleProgress.Train($"{name}: training", estimator, simulations, trainingOptions) };
                estimator.Save(modelPath);
                (model, draw) = (estimator, (x, n, o) => estimator.Draw(x, n, o));
            }
            AtomicFile.WriteAllText(trainingPath, JsonSerializer.Serialize(new
            {
                budget = s.Budget,
                members = results.Count,
                simulation_seconds = simulationSeconds,
                training_seconds = results.Sum(r => r.Seconds),
                steps = results.Sum(r => r.Steps),
                epochs = results.Sum(r => r.Losses.Count),
                best_epoch = results[0].BestEpoch,
                best_validation_loss = results.Min(r => r.BestValidationLoss),
                stop_reason = results[0].StopReason,
                member_epochs = results.Select(r => r.Losses.Count).ToArray(),
                member_best_epochs = results.Select(r => r.BestEpoch).ToArray(),
            }, Json));
        }
        using (model)
        {
            foreach (var k in s.Observations)
            {
                if (Scored(dir, k)) continue;
                Score(name, task, data, dir, k, s, draw);
            }
        }
    }

    /// <summary>Where observation <paramref name="k"/>'s C2ST record and draws are written.</summary>
    private static (string Result, string Samples) ScorePaths(string dir, int k) =>
        (Path.Combine(dir, $"c2st_{k}.json"), Path.Combine(dir, $"samples_{k}.csv"));

    /// <summary>Whether observation <paramref name="k"/> was already scored (a resumed run skips it).</summary>
    private static bool Scored(string dir, int k)
    {
        var (result, samples) = ScorePaths(dir, k);
        return File.Exists(result) && File.Exists(samples);
    }

    /// <summary>Draws for observation <paramref name="k"/>, scores them by C2ST against the reference and writes samples_k.csv and c2st_k.json.</summary>
    private static void Score(string name, SbiSharp.Tasks.SbiTask task, SbibmData data, string dir, int k, BenchSettings s, Func<Tensor, int, SamplingOptions, SamplingResult> draw)
    {
        var (resultPath, samplesPath) = ScorePaths(dir, k);
        var clock = Stopwatch.StartNew();
        using var drawn = draw(Observation(data, k), s.Draws, s.Sampling with { Seed = s.Seed + k });
        var samples = drawn.Samples[0];
        var samplingSeconds = clock.Elapsed.TotalSeconds;
        CsvTable.FromTensor(samples, Enumerable.Range(1, task.ParameterDimension).Select(i => $"parameter_{i}").ToArray()).Write(samplesPath);
        using var reference = data.ReferenceSamples(k);
        clock.Restart();
        var c2st = C2st.Score(reference, samples, s.C2st);
        var c2stSeconds = clock.Elapsed.TotalSeconds;
        AtomicFile.WriteAllText(resultPath, JsonSerializer.Serialize(new
        {
            observation = k,
            c2st = c2st.Accuracy,
            folds = c2st.FoldAccuracies,
            fold_epochs = c2st.FoldEpochs,
            sampling_seconds = samplingSeconds,
            c2st_seconds = c2stSeconds,
            draws = s.Draws,
            sampler = s.Sampling.Sampler!.Name,
            network_evaluations_per_draw = drawn.NetworkEvaluations,
            acceptance_rate = drawn.AcceptanceRate,
        }, Json));
        Console.WriteLine($"{name} observation {k}: C2ST {c2st.Accuracy:F3} (sampling {samplingSeconds:F1} s, C2ST {c2stSeconds:F1} s)");
    }

    /// <summary>Truncated sequential NPE: for every observation its own rounds with the whole budget, then draws and C2ST as for the amortized model.</summary>
    private static void RunSequentialTask(string name, BenchSettings s)
    {
        var task = BuiltInTasks.Create(name, s.DataRoot);
        var data = new SbibmData(name, task.ParameterDimension, task.ObservationDimension, s.DataRoot);
        var dir = Path.Combine(s.Out, name);
        Directory.CreateDirectory(dir);
        foreach (var k in s.Observations)
        {
            if (Scored(dir, k)) continue;
            Console.WriteLine($"{name} observation {k}: {s.Sequential} sequential rounds, {s.Budget:N0} simulations");
            using var run = SbiSharp.Sequential.TruncatedSequentialEstimation.Run(task.Prior, task.Simulator, data.Observation(k), s.Budget,
                new SbiSharp.Sequential.SequentialOptions { Rounds = s.Sequential }, s.Estimator with { InitializationSeed = s.Seed }, s.Training with { Seed = s.Seed + 100 * k },
                s.Sampling with { Seed = s.Seed + k }, task.ParameterNames, StderrLogger.Instance);
            AtomicFile.WriteAllText(Path.Combine(dir, $"training_{k}.json"), JsonSerializer.Serialize(new
            {
                budget = s.Budget,
                rounds = run.Rounds.Select(r => new { r.Round, r.Simulations, prior_mass = r.PriorMass, lower = r.Region.Lower, upper = r.Region.Upper, seconds = r.Training.Seconds, steps = r.Training.Steps, epochs = r.Training.Losses.Count, best_epoch = r.Training.BestEpoch, stop_reason = r.Training.StopReason }),
                training_seconds = run.TrainingSeconds,
            }, Json));
            var perObservation = Directory.GetFiles(dir, "training_*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!["training_seconds"]!.GetValue<double>()).ToArray();
            AtomicFile.WriteAllText(Path.Combine(dir, "training.json"), JsonSerializer.Serialize(new
            {
                budget = s.Budget,
                sequential_rounds = s.Sequential,
                training_seconds = perObservation.Average(),
                note = "mean training seconds per observation (each observation trains its own rounds)",
            }, Json));
            Score(name, task, data, dir, k, s, (x, n, o) => run.Estimator.Draw(x, n, o));
        }
    }

    /// <summary>A stored single model or ensemble, with its draw function.</summary>
    private static (IDisposable Model, Func<Tensor, int, SamplingOptions, SamplingResult> Draw) Load(string path)
    {
        if (PosteriorEnsemble.IsEnsembleFile(path))
        {
            var ensemble = PosteriorEnsemble.Load(path);
            return (ensemble, (x, n, o) => ensemble.Draw(x, n, o));
        }
        var estimator = DiffusionPosteriorEstimator.Load(path);
        return (estimator, (x, n, o) => estimator.Draw(x, n, o));
    }

    private static Tensor Observation(SbibmData data, int k)
    {
        var x = data.Observation(k);
        return tensor(x, new long[] { 1, x.Length }, ScalarType.Float32);
    }

    /// <summary>Pairs plot of observation 1's draws over the reference with the true parameters marked (written once, also by --report).</summary>
    private static void WritePairsPlot(string name, string dir, BenchSettings s)
    {
        var samplesPath = Path.Combine(dir, "samples_1.csv");
        var plotPath = Path.Combine(dir, "pairs_1.png");
        if (!File.Exists(samplesPath) || File.Exists(plotPath)) return;
        var task = BuiltInTasks.Create(name, s.DataRoot);
        var data = new SbibmData(name, task.ParameterDimension, task.ObservationDimension, s.DataRoot);
        var samples = CsvTable.Read(samplesPath);
        using var reference = data.ReferenceSamples(1);
        var referenceRows = CsvTable.FromTensor(reference, samples.Header).Rows;
        IReadOnlyList<IReadOnlyList<double>> Columns(IReadOnlyList<double[]> rows) =>
            Enumerable.Range(0, task.ParameterDimension).Select(p => (IReadOnlyList<double>)rows.Select(r => r[p]).ToArray()).ToArray();
        Plotting.PairsPlot.Save(plotPath, task.ParameterNames, Columns(samples.Rows), Columns(referenceRows), data.TrueParameters(1));
    }

    private static void WriteResults(BenchSettings s)
    {
        var tasks = new JsonObject();
        var md = new StringBuilder();
        md.AppendLine($"C2ST (mean ± sd over observations; 0.5 is perfect) at {s.Budget:N0} simulations, {s.Sampling.Sampler!.Name}, seed {s.Seed}, " +
                      $"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores.");
        md.AppendLine();
        md.AppendLine("| task | SbiSharp | sbibm NPE | BayesFlow (≈3·10⁷ sims) | training s | s per 10k draws | C2ST s |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        var taskMeans = new List<(double Ours, double? Npe)>();
        foreach (var name in s.Tasks)
        {
            var dir = Path.Combine(s.Out, name);
            var scores = new List<double>();
            var sampling = new List<double>();
            var c2stSeconds = new List<double>();
            var perObservation = new JsonArray();
            foreach (var file in Directory.Exists(dir) ? Directory.GetFiles(dir, "c2st_*.json").Order() : Enumerable.Empty<string>())
            {
                var node = JsonNode.Parse(File.ReadAllText(file))!;
                perObservation.Add(node);
                scores.Add(node["c2st"]!.GetValue<double>());
                sampling.Add(node["sampling_seconds"]!.GetValue<double>() * 10_000.0 / node["draws"]!.GetValue<int>());
                c2stSeconds.Add(node["c2st_seconds"]?.GetValue<double>() ?? double.NaN);
            }
            WritePairsPlot(name, dir, s);
            var trainingFile = Path.Combine(dir, "training.json");
            var training = File.Exists(trainingFile) ? JsonNode.Parse(File.ReadAllText(trainingFile)) : null;
            tasks[name] = new JsonObject { ["training"] = training, ["observations"] = perObservation };
            if (scores.Count == 0)
            {
                md.AppendLine($"| {name} | not run | | | | | |");
                continue;
            }
            var mean = scores.Average();
            var sd = scores.Count > 1 ? Math.Sqrt(scores.Sum(v => (v - mean) * (v - mean)) / (scores.Count - 1)) : 0;
            var npe = PublishedResults.NpeAt(name, s.Budget);
            var bayesFlow = PublishedResults.BayesFlow.TryGetValue(name, out var b) ? b.ToString("F3", CultureInfo.InvariantCulture) : "–";
            md.AppendLine(FormattableString.Invariant(
                $"| {name} | {mean:F3} ± {sd:F3} (n = {scores.Count}) | {(npe is { } n ? n.ToString("F3", CultureInfo.InvariantCulture) : "–")} | {bayesFlow} | {training?["training_seconds"]?.GetValue<double>():F0} | {sampling.Average():F1} | {c2stSeconds.Average():F0} |"));
            taskMeans.Add((mean, npe));
        }
        if (taskMeans.Count > 1)
        {
            var withNpe = taskMeans.Where(m => m.Npe is not null).ToArray();
            md.AppendLine(FormattableString.Invariant(
                $"| mean over {taskMeans.Count} tasks | {taskMeans.Average(m => m.Ours):F3} | {(withNpe.Length == taskMeans.Count ? withNpe.Average(m => m.Npe!.Value).ToString("F3", CultureInfo.InvariantCulture) : "–")} | | | | |"));
        }
        var results = new JsonObject
        {
            ["date"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
            ["budget"] = s.Budget,
            ["seed"] = s.Seed,
            ["draws"] = s.Draws,
            ["options"] = JsonNode.Parse(JsonSerializer.Serialize(new { training = s.Training, estimator = s.Estimator, ensemble = s.Ensemble, sampler = s.Sampling.Sampler!.Name, chunk_size = s.Sampling.ChunkSize })),
            ["tasks"] = tasks,
        };
        AtomicFile.WriteAllText(Path.Combine(s.Out, "results.json"), results.ToJsonString(Json));
        AtomicFile.WriteAllText(Path.Combine(s.Out, "results.md"), md.ToString());
        Console.WriteLine(md);
    }
}
