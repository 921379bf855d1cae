using System.CommandLine;
using System.Text.Json;
using SbiSharp.Diagnostics;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Plotting;
using Spectre.Console;
using static TorchSharp.torch;

namespace SbiSharp.Cli.Commands;

/// <summary>`sbisharp diagnose`: model + test simulations → recovery, SBC, coverage, calibration error and TARP, as JSON and figures.</summary>
internal static class DiagnoseCommand
{
    public const int DefaultTestSets = 300;
    public const int DefaultDraws = 500;

    public static Command Create(Option<bool> verbose)
    {
        var model = new Option<string>("--model") { Description = "Model file written by `train`", Required = true };
        var task = new Option<string?>("--task") { Description = $"Built-in task to simulate test sets from (its prior must be the training prior): {string.Join(" | ", SbiSharp.Tasks.BuiltInTasks.Names)}" };
        var thetaFile = new Option<string?>("--theta") { Description = "CSV of true parameters of the test sets (drawn from the training prior); use with --x" };
        var xFile = new Option<string?>("--x") { Description = "CSV of the test observations, row by row with --theta" };
        var sets = new Option<int>("--test-sets") { Description = "Test sets simulated with --task", DefaultValueFactory = _ => DefaultTestSets };
        var draws = new Option<int>("--num-samples") { Description = "Posterior draws per test set", DefaultValueFactory = _ => DefaultDraws };
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "diagnostics" };
        var seed = new Option<long>("--seed") { Description = "Seed of test simulations, sampling and tests", DefaultValueFactory = _ => SamplingOptions.Default.Seed ?? 0 };
        var sampling = new SamplingCliOptions();
        var command = new Command("diagnose", "Recovery and calibration of a trained model on simulated test sets: NRMSE, contraction, z-scores, SBC ranks with ECDF bands and the log-gamma test, coverage, calibration error, TARP.");
        foreach (var o in new Option[] { model, task, thetaFile, xFile, sets, draws, output, seed }) command.Options.Add(o);
        sampling.AddTo(command);
        command.SetAction(result => CliErrors.Run(result.GetValue(verbose), () =>
        {
            var n = result.GetValue(draws);
            if (n < 2) throw new ArgumentException($"--num-samples must be at least 2; got {n}.");
            sampling.Check(result);
            var taskName = result.GetValue(task);
            var (thetaPath, xPath) = (result.GetValue(thetaFile), result.GetValue(xFile));
            TaskOrFiles.Validate(taskName, thetaPath, xPath);
            var folder = AtomicFile.CheckWritableFolder(result.GetValue(output)!, "--out");
            using var estimator = DiffusionPosteriorEstimator.Load(result.GetValue(model)!);
            using var generator = new Generator((ulong)result.GetValue(seed));
            Tensor theta, x;
            Tensor? priorStd = null;
            if (taskName is not null)
            {
                var count = result.GetValue(sets);
                if (count < 2) throw new ArgumentException($"--test-sets must be at least 2; got {count}.");
                var sbiTask = SbiSharp.Tasks.BuiltInTasks.Create(taskName);
                if (sbiTask.ParameterDimension != estimator.ParameterDimension || sbiTask.ObservationDimension != estimator.ObservationDimension)
                    throw new ArgumentException($"--task {taskName} has θ/x dimensions {sbiTask.ParameterDimension}/{sbiTask.ObservationDimension}; the model has {estimator.ParameterDimension}/{estimator.ObservationDimension}.");
                var batch = sbiTask.Joint().Sample(count, generator);
                (theta, x) = (batch.Theta, batch.X);
                using var priorDraws = sbiTask.Prior.Sample(100_000, generator);
                priorStd = priorDraws.std(0);
            }
            else
            {
                var thetaTable = CsvTable.Read(thetaPath!);
                var xTable = CsvTable.Read(xPath!);
                if (thetaTable.Rows.Count != xTable.Rows.Count)
                    throw new ArgumentException($"--theta has {thetaTable.Rows.Count} rows but --x has {xTable.Rows.Count}; they must match row by row.");
                if (thetaTable.Columns != estimator.ParameterDimension)
                    throw new ArgumentException($"--theta has {thetaTable.Columns} columns; the model expects {estimator.ParameterDimension}.");
                if (xTable.Columns != estimator.ObservationDimension)
                    throw new ArgumentException($"--x has {xTable.Columns} columns; the model expects {estimator.ObservationDimension}.");
                if (thetaTable.Rows.Count < 2) throw new ArgumentException($"--theta needs at least 2 test sets; got {thetaTable.Rows.Count}.");
                (theta, x) = (thetaTable.ToTensor(), xTable.ToTensor());
                // Contraction needs the prior's spread: the prior stored in the model, when it has one.
                if (estimator.Prior is { } stored)
                {
                    using var priorDraws = stored.Sample(100_000, generator);
                    priorStd = priorDraws.std(0);
                }
            }
            using var thetaOwner = theta;
            using var xOwner = x;
            using var priorStdOwner = priorStd;
            var options = sampling.Read(result, result.GetValue(seed) + 1, estimator.Options.Objective);
            using var samples = ConsoleProgress.Run("Sampling", 1.0, update => estimator.Sample(x, n, options, new SynchronousProgress<double>(f => update(f, null))));
            var report = CalibrationReport.Compute(samples, theta, priorStd, new SbcOptions { Seed = result.GetValue(seed) }, result.GetValue(seed));
            CalibrationPlots.Save(folder, report, estimator.ParameterNames);
            AtomicFile.WriteAllText(Path.Combine(folder, "diagnostics.json"), JsonSerializer.Serialize(Summary(report, estimator.ParameterNames, (int)theta.shape[0], n, options),
                new JsonSerializerOptions { WriteIndented = true }));
            var table = new Table().AddColumns("parameter", "NRMSE", "contraction", "z mean", "z sd", "log-γ stat", "in bands", "calib. error");
            for (int p = 0; p < estimator.ParameterDimension; p++)
                table.AddRow(estimator.ParameterNames[p], $"{report.Recovery.NormalizedRmse[p]:F3}", $"{report.Recovery.Contraction[p]:F3}",
                    $"{report.Recovery.ZScoreMean[p]:F2}", $"{report.Recovery.ZScoreStd[p]:F2}", $"{report.Sbc.LogGammaStatistic[p]:F2}",
                    report.Sbc.WithinBands(p) ? "yes" : "[red]no[/]", $"{report.CalibrationError.Error[p]:F3}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"TARP: max deviation {report.Tarp.MaxDeviation:F3}, ATC {report.Tarp.AreaToCurve:F3}; wrote diagnostics.json, {string.Join(", ", CalibrationPlots.FileNames())} to [blue]{Markup.Escape(Path.GetFullPath(folder))}[/]");
            return 0;
        }));
        return command;
    }

    /// <summary>JSON has no NaN or infinity: such values (a z-score of a zero-width posterior, an undefined correlation) are written as null.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>The JSON summary (per-parameter statistics; per-test-set arrays stay out to keep it readable).</summary>
    public static object Summary(CalibrationReport report, IReadOnlyList<string> names, int testSets, int draws, SamplingOptions sampling) => new
    {
        test_sets = testSets,
        draws_per_set = draws,
        sampler = sampling.Sampler!.Name,
        parameters = names.Select((name, p) => new
        {
            parameter = name,
            normalized_rmse = Finite(report.Recovery.NormalizedRmse[p]),
            contraction = Finite(report.Recovery.Contraction[p]),
            z_score_mean = Finite(report.Recovery.ZScoreMean[p]),
            z_score_sd = Finite(report.Recovery.ZScoreStd[p]),
            correlation = Finite(report.Recovery.Correlation[p]),
            sbc_log_gamma_statistic = Finite(report.Sbc.LogGammaStatistic[p]),
            sbc_within_bands = report.Sbc.WithinBands(p),
            sbc_max_ecdf_difference = Finite(report.Sbc.MaxAbsDifference[p]),
            calibration_error = Finite(report.CalibrationError.Error[p]),
        }).ToArray(),
        tarp = new { max_deviation = report.Tarp.MaxDeviation, area_to_curve = report.Tarp.AreaToCurve, alpha = report.Tarp.Alpha, ecp = report.Tarp.ExpectedCoverage },
        coverage = new { levels = report.CalibrationError.Coverage.Levels, coverage = report.CalibrationError.Coverage.Coverage },
    };
}
