using SbiSharp.Estimators;
using System.CommandLine;
using SbiSharp.Cli.Benchmark;
using SbiSharp.Tasks;

namespace SbiSharp.Cli.Commands;

/// <summary>`sbisharp bench`: the sbibm accuracy benchmark (C2ST against reference posteriors).</summary>
internal static class BenchCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var task = new Option<string>("--task") { Description = $"Task or 'all': {string.Join(" | ", BuiltInTasks.Sbibm)}", DefaultValueFactory = _ => "all" };
        var budget = new Option<int>("--budget") { Description = "Training simulations per task (offline)", DefaultValueFactory = _ => 10_000 };
        var output = new Option<string>("--out") { Description = "Output folder (resumes what is already there)", DefaultValueFactory = _ => "bench-out" };
        var data = new Option<string?>("--data") { Description = $"sbibm data folder (default ${SbibmData.RootVariable} or {SbibmData.DefaultRoot})" };
        var draws = new Option<int>("--num-samples") { Description = "Posterior draws per observation", DefaultValueFactory = _ => 10_000 };
        var observations = new Option<int[]>("--observations") { Description = "Observation numbers (1..10)", DefaultValueFactory = _ => Enumerable.Range(1, SbibmData.Observations).ToArray(), AllowMultipleArgumentsPerToken = true };
        var c2stEpochs = new Option<int>("--c2st-max-epochs") { Description = "Epoch cap of the C2ST classifier (sbibm: 10000)", DefaultValueFactory = _ => SbiSharp.Diagnostics.C2stOptions.Default.MaxEpochs };
        var method = DesignOption.Create();
        var transform = TransformOption.Create();
        var ensemble = new Option<int>("--ensemble") { Description = "Train K independently seeded models per task and sample their mixture", DefaultValueFactory = _ => 1 };
        var sequential = new Option<int>("--sequential") { Description = "Rounds of truncated sequential NPE per observation, each observation with the whole --budget (0: one amortized model per task)", DefaultValueFactory = _ => 0 };
        var distill = new Option<string?>("--distill") { Description = "Folder of trained diffusion teachers (a previous bench --out, DIR/task/model.sbis): distill each task's teacher into a consistency model on the --budget simulations instead of training one" };
        var reportOnly = new Option<bool>("--report") { Description = "Only write results.json/results.md from what is already in --out" };
        var training = new TrainingCliOptions();
        var sampling = new SamplingCliOptions();
        var command = new Command("bench", "sbibm benchmark: train on exactly --budget simulations per task, sample the stored observations, score C2ST against the references.");
        foreach (var o in new Option[] { task, budget, output, data, draws, observations, c2stEpochs, method, transform, ensemble, sequential, distill, reportOnly }) command.Options.Add(o);
        training.AddTo(command);
        sampling.AddTo(command);
        command.SetAction(result => CliErrors.Run(result.GetValue(verbose), () =>
        {
            var name = result.GetValue(task)!;
            var tasks = name.Equals("all", StringComparison.OrdinalIgnoreCase) ? BuiltInTasks.Sbibm
                : BuiltInTasks.Sbibm.Contains(name.ToLowerInvariant()) ? new[] { name.ToLowerInvariant() }
                : throw new ArgumentException($"Unknown task '{name}' (--task); valid: all, {string.Join(", ", BuiltInTasks.Sbibm)}.");
            var n = result.GetValue(budget);
            if (n < 100) throw new ArgumentException($"--budget must be at least 100 simulations; got {n}.");
            var k = result.GetValue(observations)!;
            if (k.Length == 0 || k.Any(v => v < 1 || v > SbibmData.Observations))
                throw new ArgumentException($"--observations must list numbers in 1..{SbibmData.Observations}; got [{string.Join(", ", k)}].");
            var count = result.GetValue(draws);
            if (count < 10) throw new ArgumentException($"--num-samples must be at least 10; got {count}.");
            var members = result.GetValue(ensemble);
            if (members < 1) throw new ArgumentException($"--ensemble must be at least 1 member; got {members}.");
            var rounds = result.GetValue(sequential);
            if (rounds < 0) throw new ArgumentException($"--sequential must be 0 (off) or a number of rounds; got {rounds}.");
            if (rounds > 0 && members > 1) throw new ArgumentException("--sequential and --ensemble cannot be combined.");
            var options = training.Read(result);
            var estimator = DesignOption.Read(result, method, DiffusionEstimatorOptions.Default with { Network = training.ReadNetwork(result) });
            var teachers = result.GetValue(distill);
            if (teachers is not null && (members > 1 || rounds > 0)) throw new ArgumentException("--distill cannot be combined with --ensemble or --sequential.");
            if (teachers is not null && !Directory.Exists(teachers)) throw new ArgumentException($"--distill: no folder '{teachers}' (expected TEACHERS/task/model.sbis from a previous bench run).");
            var family = teachers is null ? estimator.Objective : new SbiSharp.Training.ConsistencyDistillationSpec();
            return SbibmBenchmark.Run(new BenchSettings(tasks, n, result.GetValue(output)!, options.Seed, options, sampling.Read(result, options.Seed, family),
                result.GetValue(data), count, k, (SbiSharp.Diagnostics.C2stOptions.Default with { MaxEpochs = result.GetValue(c2stEpochs) }).Validate(), result.GetValue(reportOnly))
            { Estimator = estimator, Transform = TransformOption.Read(result, transform), Ensemble = members, Sequential = rounds, Distill = teachers });
        }));
        return command;
    }
}
