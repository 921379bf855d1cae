using System.CommandLine;
using System.Globalization;
using SbiSharp.Composition;
using SbiSharp.Estimators;
using SbiSharp.Guidance;
using SbiSharp.IO;
using Spectre.Console;

namespace SbiSharp.Cli.Commands;

/// <summary>`sbisharp sample`: model file + observations CSV → posterior samples CSV.</summary>
internal static class SampleCommand
{
    public const int DefaultDraws = 1_000;

    public static Command Create(Option<bool> verbose)
    {
        var model = new Option<string>("--model") { Description = "Model file written by `train`", Required = true };
        var observations = new Option<string>("--observations") { Description = "CSV of observations (header row, one observation per row)", Required = true };
        var draws = new Option<int>("--num-samples") { Description = "Draws per observation", DefaultValueFactory = _ => DefaultDraws };
        var output = new Option<string>("--out") { Description = "Samples CSV to write", DefaultValueFactory = _ => "samples.csv" };
        var seed = new Option<long>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => SamplingOptions.Default.Seed ?? 0 };
        var compose = new Option<string>("--compose") { Description = "Treat all observation rows as iid observations of one θ and sample p(θ | all rows): none | gauss | jac | sum", DefaultValueFactory = _ => "none" };
        var priorTask = new Option<string?>("--prior-task") { Description = $"With --compose: the training prior of this built-in task ({string.Join(" | ", SbiSharp.Tasks.BuiltInTasks.Names)}); default: the prior stored in the model (trained with --task), else the model's unconditional mode (needs train --condition-dropout)" };
        var fix = new Option<string[]>("--fix") { Description = "Fix parameters and sample the rest (inpainting): INDEX=VALUE, 1-based, repeatable (short for --guidance fix:INDEX=VALUE)", AllowMultipleArgumentsPerToken = true };
        var guide = new Option<string[]>("--guidance")
        {
            Description = "Inference-time guidance around the model, applied in order, repeatable: NAME:ARGUMENT with NAME one of " +
                string.Join("; ", SbiSharp.Registration.Registries.Guidance.Entries.Select(e => $"{e.Name} ({e.Description})")),
            AllowMultipleArgumentsPerToken = true,
        };
        var sampling = new SamplingCliOptions();
        var command = new Command("sample", "Draw posterior samples for observations from a trained model.");
        foreach (var o in new Option[] { model, observations, draws, output, seed, compose, priorTask, fix, guide }) command.Options.Add(o);
        sampling.AddTo(command);
        command.SetAction(result => CliErrors.Run(result.GetValue(verbose), () =>
        {
            var n = result.GetValue(draws);
            if (n <= 0) throw new ArgumentException($"--num-samples must be positive; got {n}.");
            var path = AtomicFile.CheckWritable(result.GetValue(output)!, "--out");
            sampling.Check(result);
            var guidanceSpecs = (result.GetValue(fix) ?? Array.Empty<string>()).Select(f => "fix:" + f).Concat(result.GetValue(guide) ?? Array.Empty<string>()).ToArray();
            var parsedGuidance = guidanceSpecs.Select(ParseGuidance).ToArray(); // unknown names are answered before the model loads
            var modelPath = result.GetValue(model)!;
            if (PosteriorEnsemble.IsEnsembleFile(modelPath))
            {
                if (parsedGuidance.Length > 0 || Method(result.GetValue(compose)!) is not null)
                    throw new ArgumentException($"'{modelPath}' is an ensemble: it draws from its members' mixture, without --fix, --guidance or --compose (they need one model's score; train one model for them).");
                using var members = PosteriorEnsemble.Load(modelPath);
                var ensembleOptions = sampling.Read(result, result.GetValue(seed), members.Objective);
                var observed = ReadObservations(result.GetValue(observations)!, members.ObservationDimension);
                using var ex = observed.ToTensor();
                var ensembleClock = System.Diagnostics.Stopwatch.StartNew();
                using var mixed = ConsoleProgress.Run("Sampling", 1.0, update => members.Draw(ex, n, ensembleOptions, new SynchronousProgress<double>(f => update(f, null))));
                return Write(mixed, observed.Rows.Count, n, members.ParameterNames, path, ensembleOptions, ensembleClock.Elapsed.TotalSeconds);
            }
            using var estimator = DiffusionPosteriorEstimator.Load(modelPath);
            var options = sampling.Read(result, result.GetValue(seed), estimator.Options.Objective);
            var table = ReadObservations(result.GetValue(observations)!, estimator.ObservationDimension);
            using var x = table.ToTensor();
            var guidance = parsedGuidance.Select(g => g.Entry.Create(new SbiSharp.Registration.CreationArguments(
                Argument: g.Argument, ParameterDimension: estimator.ParameterDimension))).ToArray();
            var method = Method(result.GetValue(compose)!);
            var groups = method is null ? table.Rows.Count : 1;
            if (method is not null && guidance.Length > 0) throw new ArgumentException("--fix and --guidance cannot be combined with --compose.");
            var priorName = result.GetValue(priorTask);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var drawn = method is { } m
                ? ConsoleProgress.Run("Sampling (composed)", 1.0, _ => new SamplingResult(estimator.SampleComposed(x, n, new CompositionOptions { Method = m }, options,
                    priorName is null ? null : SbiSharp.Tasks.BuiltInTasks.Create(priorName).Prior).unsqueeze(0), double.NaN, 1, Array.Empty<string>()))
                : ConsoleProgress.Run("Sampling", 1.0, update => estimator.Draw(x, n, options, new SynchronousProgress<double>(f => update(f, null)), guidance));
            return Write(drawn, groups, n, estimator.ParameterNames, path, options, clock.Elapsed.TotalSeconds);
        }));
        return command;
    }

    private static CsvTable ReadObservations(string file, int columns)
    {
        var table = CsvTable.Read(file);
        if (table.Columns != columns)
            throw new ArgumentException($"--observations has {table.Columns} columns; the model expects {columns}.");
        return table;
    }

    /// <summary>Writes the draws (one group per observation, or one for composed draws) as CSV and prints what they cost.</summary>
    private static int Write(SamplingResult drawn, int groups, int n, IReadOnlyList<string> names, string path, SamplingOptions options, double seconds)
    {
        foreach (var warning in drawn.Warnings) Console.Error.WriteLine($"warning: {warning}");
        var header = new List<string>();
        if (groups > 1) header.Add("observation");
        header.AddRange(names);
        var rows = new List<double[]>();
        var flat = drawn.Samples.to(TorchSharp.torch.ScalarType.Float64).contiguous().data<double>().ToArray();
        int d = names.Count;
        for (int o = 0; o < groups; o++)
            for (int i = 0; i < n; i++)
            {
                var row = flat.AsSpan(((o * n) + i) * d, d).ToArray();
                rows.Add(groups > 1 ? row.Prepend(o + 1).ToArray() : row);
            }
        new CsvTable(header, rows).Write(path);
        var cost = double.IsNaN(drawn.NetworkEvaluations) ? "" : $", {drawn.NetworkEvaluations:0.#} network evaluations per draw";
        var kept = drawn.AcceptanceRate < 1 ? $", {drawn.AcceptanceRate:P1} of draws inside the support" : "";
        AnsiConsole.MarkupLine($"wrote {rows.Count:N0} draws to [blue]{Markup.Escape(path)}[/] ({Markup.Escape(options.Sampler!.Name)}{cost}{kept}; {seconds:F2} s)");
        return 0;
    }

    private static CompositionMethod? Method(string name) => name.ToLowerInvariant() switch
    {
        "none" => null,
        "gauss" => CompositionMethod.Gauss,
        "jac" => CompositionMethod.Jac,
        "sum" => CompositionMethod.Sum,
        _ => throw new ArgumentException($"Unknown --compose '{name}'; valid: none, gauss, jac, sum."),
    };

    /// <summary>A --guidance NAME[:ARGUMENT] split into its registry entry and the text after the colon (null without one).</summary>
    private static (SbiSharp.Registration.RegistryEntry<DenoiserGuidance> Entry, string? Argument) ParseGuidance(string spec)
    {
        var colon = spec.IndexOf(':');
        var name = colon < 0 ? spec : spec[..colon];
        var entry = SbiSharp.Registration.Registries.Guidance.Find(name)
            ?? throw new ArgumentException($"Unknown --guidance '{name}'; valid: {string.Join(", ", SbiSharp.Registration.Registries.Guidance.Names)}.");
        return (entry, colon < 0 ? null : spec[(colon + 1)..]);
    }
}
