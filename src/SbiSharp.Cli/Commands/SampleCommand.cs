using System.CommandLine;
using SbiSharp.Estimators;
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
        var sampling = new SamplingCliOptions();
        var command = new Command("sample", "Draw posterior samples for observations from a trained model.");
        foreach (var o in new Option[] { model, observations, draws, output, seed }) command.Options.Add(o);
        sampling.AddTo(command);
        command.SetAction(result => CliErrors.Run(result.GetValue(verbose), () =>
        {
            var n = result.GetValue(draws);
            if (n <= 0) throw new ArgumentException($"--num-samples must be positive; got {n}.");
            using var estimator = DiffusionPosteriorEstimator.Load(result.GetValue(model)!);
            var table = CsvTable.Read(result.GetValue(observations)!);
            if (table.Columns != estimator.ObservationDimension)
                throw new ArgumentException($"--observations has {table.Columns} columns; the model expects {estimator.ObservationDimension}.");
            if (table.Rows.Count == 0) throw new ArgumentException("--observations holds no rows.");
            using var x = table.ToTensor();
            var options = sampling.Read(result, result.GetValue(seed));
            using var samples = ConsoleProgress.Run("Sampling", 1.0, update => estimator.Sample(x, n, options, new SynchronousProgress<double>(f => update(f, null))));
            var header = new List<string>();
            if (table.Rows.Count > 1) header.Add("observation");
            header.AddRange(estimator.ParameterNames);
            var rows = new List<double[]>();
            var flat = samples.to(TorchSharp.torch.ScalarType.Float64).contiguous().data<double>().ToArray();
            int d = estimator.ParameterDimension;
            for (int o = 0; o < table.Rows.Count; o++)
                for (int i = 0; i < n; i++)
                {
                    var row = flat.AsSpan(((o * n) + i) * d, d).ToArray();
                    rows.Add(table.Rows.Count > 1 ? row.Prepend(o + 1).ToArray() : row);
                }
            var path = result.GetValue(output)!;
            new CsvTable(header, rows).Write(path);
            AnsiConsole.MarkupLine($"wrote {rows.Count:N0} draws to [blue]{Markup.Escape(path)}[/] ({options.Sampler.Name}, {options.Sampler.NetworkEvaluations} network evaluations per draw)");
            return 0;
        }));
        return command;
    }
}
