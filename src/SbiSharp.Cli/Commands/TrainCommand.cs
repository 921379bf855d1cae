using System.CommandLine;
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Simulators;
using SbiSharp.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace SbiSharp.Cli.Commands;

/// <summary>`sbisharp train`: a built-in task or user CSV data → one model file.</summary>
internal static class TrainCommand
{
    public const int DefaultSimulations = 10_000;

    public static Command Create(Option<bool> verbose)
    {
        var task = new Option<string?>("--task") { Description = $"Built-in task to simulate: {string.Join(" | ", SbiSharp.Tasks.BuiltInTasks.Names)}" };
        var thetaFile = new Option<string?>("--theta") { Description = "CSV of parameters (header row, one row per simulation); use with --x" };
        var xFile = new Option<string?>("--x") { Description = "CSV of observations matching --theta row by row" };
        var simulations = new Option<int>("--simulations") { Description = "Simulations for --task (offline budget)", DefaultValueFactory = _ => DefaultSimulations };
        var online = new Option<bool>("--online") { Description = "With --task: fresh simulations for every batch instead of a fixed set" };
        var dropInvalid = new Option<bool>("--drop-invalid") { Description = "With --task: drop simulations with NaN/Inf instead of failing" };
        var output = new Option<string>("--out") { Description = "Model file to write", DefaultValueFactory = _ => "model.sbis" };
        var method = DesignOption.Create();
        var conditionDropout = new Option<double>("--condition-dropout") { Description = "Probability of dropping x during training, in [0, 1); > 0 also learns the unconditional (prior) denoiser for `sample --compose` and classifier-free guidance", DefaultValueFactory = _ => DiffusionEstimatorOptions.Default.ConditionDropout };
        var importance = new Option<bool>("--importance-sampling") { Description = "Draw training noise levels in proportion to the objective's weight (same objective, bounded per-row weights); helps --method designs whose loss weights are uneven over noise levels", DefaultValueFactory = _ => DiffusionEstimatorOptions.Default.ImportanceSampledNoise };
        var transform = TransformOption.Create();
        var ensemble = new Option<int>("--ensemble") { Description = "Train K independently seeded models (seeds --seed + k) into one ensemble file; `sample` draws from their mixture", DefaultValueFactory = _ => 1 };
        var sequential = new Option<bool>("--sequential") { Description = "With --task and --observation: truncated sequential NPE for that one observation (rounds from the prior truncated to the current posterior; --simulations is the total budget)" };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of --sequential", DefaultValueFactory = _ => SbiSharp.Sequential.SequentialOptions.Default.Rounds };
        var observation = new Option<string?>("--observation") { Description = "CSV with one observation row (header row first), the target of --sequential" };
        var training = new TrainingCliOptions();
        var command = new Command("train", "Train a diffusion posterior estimator and save it to one file.");
        foreach (var o in new Option[] { task, thetaFile, xFile, simulations, online, dropInvalid, output, method, conditionDropout, importance, transform, ensemble, sequential, rounds, observation }) command.Options.Add(o);
        training.AddTo(command);
        command.SetAction(result => CliErrors.Run(result.GetValue(verbose), () =>
        {
            var options = training.Read(result);
            var members = result.GetValue(ensemble);
            if (members < 1) throw new ArgumentException($"--ensemble must be at least 1 member; got {members}.");
            var network = training.ReadNetwork(result);
            var path = AtomicFile.CheckWritable(result.GetValue(output)!, "--out");
            var taskName = result.GetValue(task);
            if (result.GetValue(sequential))
                return Sequential(taskName, result.GetValue(observation), result.GetValue(rounds), result.GetValue(simulations), members, options, path,
                    DesignOption.Read(result, method, DiffusionEstimatorOptions.Default with { Network = network, InitializationSeed = options.Seed }));
            if (result.GetValue(observation) is not null) throw new ArgumentException("--observation is the target of --sequential; give --sequential too, or use `sample --observations` for draws.");
            var (thetaPath, xPath) = (result.GetValue(thetaFile), result.GetValue(xFile));
            using var generator = new Generator((ulong)options.Seed);
            var (data, names, prior) = LoadData(taskName, thetaPath, xPath, result.GetValue(simulations), result.GetValue(online), result.GetValue(dropInvalid), generator);
            var estimatorOptions = DesignOption.Read(result, method, DiffusionEstimatorOptions.Default with { Network = network, InitializationSeed = options.Seed, ConditionDropout = Dropout(result.GetValue(conditionDropout)), ImportanceSampledNoise = result.GetValue(importance) });
            DiffusionPosteriorEstimator Create(DiffusionEstimatorOptions o) => prior is null
                ? new DiffusionPosteriorEstimator(data.ParameterDimension, data.ObservationDimension, o, names)
                : new DiffusionPosteriorEstimator(prior, data.ObservationDimension, o, names, TransformOption.Read(result, transform)(prior));
            using var interruption = new Interruption();
            TrainingResult trained;
            if (members > 1)
            {
                using var models = PosteriorEnsemble.Create(members, Create, estimatorOptions);
                var results = ConsoleProgress.Train($"Training {members} members", models, data, options, interruption.Token);
                (data as IDisposable)?.Dispose();
                if (interruption.Signal is not null || results.Count < members)
                {
                    Console.Error.WriteLine($"interrupted: {results.Count} of {members} members trained; no ensemble written" +
                        (options.CheckpointDirectory is null ? "." : $"; rerun with --checkpoint-dir {options.CheckpointDirectory} to resume."));
                    return interruption.Signal is null ? 1 : interruption.ExitCode;
                }
                models.Save(path);
                trained = results[^1];
                AnsiConsole.MarkupLine($"trained {members} members, {results.Sum(r => r.Steps)} steps in {results.Sum(r => r.Seconds):F1} s; best validation losses {string.Join(", ", results.Select(r => r.BestValidationLoss.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}; wrote [blue]{Markup.Escape(path)}[/]");
                return 0;
            }
            using var estimator = Create(estimatorOptions);
            trained = ConsoleProgress.Train("Training", estimator, data, options, interruption.Token);
            (data as IDisposable)?.Dispose();
            if (trained.ResumedFromStep is { } from)
                Console.WriteLine($"resumed from the checkpoint in {options.CheckpointDirectory} at step {from}");
            estimator.Save(path);
            if (interruption.Signal is not null)
            {
                Console.Error.WriteLine($"interrupted: stopped after step {trained.Steps}; wrote the best model so far to '{path}'" +
                    (options.CheckpointDirectory is null ? "." : $"; rerun with --checkpoint-dir {options.CheckpointDirectory} to resume from its last checkpoint."));
                return interruption.ExitCode;
            }
            AnsiConsole.MarkupLine($"trained {trained.Steps} steps in {trained.Seconds:F1} s ({Markup.Escape(trained.StopReason)}); best validation loss {trained.BestValidationLoss:F4}; wrote [blue]{Markup.Escape(path)}[/]");
            return 0;
        }));
        return command;
    }

    private static int Sequential(string? taskName, string? observationFile, int rounds, int budget, int members, TrainingOptions options,
        string path, DiffusionEstimatorOptions estimatorOptions)
    {
        if (taskName is null) throw new ArgumentException("--sequential needs --task: each round simulates at the new region (a fixed --theta/--x data set cannot).");
        if (observationFile is null) throw new ArgumentException("--sequential needs --observation obs.csv (one row): the observation the rounds focus on.");
        if (members > 1) throw new ArgumentException("--sequential and --ensemble cannot be combined.");
        var sbiTask = SbiSharp.Tasks.BuiltInTasks.Create(taskName);
        var table = CsvTable.Read(observationFile);
        if (table.Rows.Count != 1 || table.Columns != sbiTask.ObservationDimension)
            throw new ArgumentException($"--observation must hold one row of {sbiTask.ObservationDimension} values for task '{taskName}'; got {table.Rows.Count} rows of {table.Columns}.");
        var sequentialOptions = new SbiSharp.Sequential.SequentialOptions { Rounds = rounds }.Validate();
        if (budget < 100L * rounds) throw new ArgumentException($"--simulations must be at least 100 per round ({100L * rounds} for --rounds {rounds}); got {budget}.");
        using var interruption = new Interruption();
        using var run = SbiSharp.Sequential.TruncatedSequentialEstimation.Run(sbiTask.Prior, sbiTask.Simulator, table.Rows[0], budget, sequentialOptions,
            estimatorOptions, options, SamplingOptions.Default with { Seed = options.Seed }, sbiTask.ParameterNames, StderrLogger.Instance, interruption.Token);
        run.Estimator.Save(path);
        foreach (var r in run.Rounds)
            Console.WriteLine(FormattableString.Invariant($"round {r.Round}: {r.Simulations} simulations from prior mass {r.PriorMass:G3}, {r.Training.Steps} steps in {r.Training.Seconds:F1} s ({r.Training.StopReason})"));
        if (interruption.Signal is not null)
        {
            Console.Error.WriteLine($"interrupted after round {run.Rounds.Count} of {rounds}; wrote that round's model to '{path}'.");
            return interruption.ExitCode;
        }
        AnsiConsole.MarkupLine($"trained {rounds} sequential rounds in {run.TrainingSeconds:F1} s for the observation in {Markup.Escape(observationFile)}; wrote [blue]{Markup.Escape(path)}[/]");
        return 0;
    }

    /// <summary>The training data of `train` and `distill`: simulations of a built-in task (in memory, or a stream with <paramref name="online"/>), or a pair of CSV files.</summary>
    /// <returns>The data, the parameter names and the task's prior (null for files).</returns>
    internal static (ISimulationDataset Data, IReadOnlyList<string> Names, SbiSharp.Priors.IPrior? Prior) LoadData(string? taskName, string? thetaPath, string? xPath,
        int simulations, bool online, bool dropInvalid, Generator generator)
    {
        TaskOrFiles.Validate(taskName, thetaPath, xPath);
        if (taskName is not null)
        {
            var sbiTask = SbiSharp.Tasks.BuiltInTasks.Create(taskName);
            var joint = sbiTask.Joint(dropInvalid ? InvalidSimulationPolicy.Drop : InvalidSimulationPolicy.Throw);
            if (simulations <= 0) throw new ArgumentException($"--simulations must be positive; got {simulations}.");
            ISimulationDataset simulated = online
                ? new OnlineDataset(joint)
                : ConsoleProgress.Run("Simulating", simulations, update => InMemoryDataset.Simulate(joint, simulations, generator, 1_000, new SynchronousProgress<long>(v => update(v, null))));
            return (simulated, sbiTask.ParameterNames, sbiTask.Prior);
        }
        var theta = CsvTable.Read(thetaPath!);
        var x = CsvTable.Read(xPath!);
        if (theta.Rows.Count != x.Rows.Count)
            throw new ArgumentException($"--theta has {theta.Rows.Count} rows but --x has {x.Rows.Count}; they must match row by row.");
        using var thetaTensor = theta.ToTensor();
        using var xTensor = x.ToTensor();
        return (new InMemoryDataset(thetaTensor, xTensor), theta.Header, null);
    }

    private static double Dropout(double value) =>
        value >= 0 && value < 1 ? value : throw new ArgumentException($"--condition-dropout must lie in [0, 1); got {value}.");
}
