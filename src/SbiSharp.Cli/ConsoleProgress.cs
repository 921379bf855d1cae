using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Training;
using Spectre.Console;

namespace SbiSharp.Cli;

/// <summary>Progress bars on an interactive terminal (Spectre.Console); plain lines at every 10 % otherwise (CI, pipes).</summary>
internal static class ConsoleProgress
{
    /// <summary>Trains <paramref name="estimator"/> with a progress bar showing loss, validation loss and steps/s.</summary>
    public static TrainingResult Train(string description, DiffusionPosteriorEstimator estimator, ISimulationDataset data, TrainingOptions options, CancellationToken cancellationToken = default) =>
        Run(description, options.Epochs, update => estimator.Train(data, options,
            progress: new SynchronousProgress<TrainingProgress>(p => update(p.Epoch, $"loss {p.Loss:F3} val {p.ValidationLoss:F3} {p.StepsPerSecond:F0} steps/s")),
            logger: StderrLogger.Instance, cancellationToken: cancellationToken));

    /// <summary>Trains every member of <paramref name="ensemble"/> under one progress bar.</summary>
    public static IReadOnlyList<TrainingResult> Train(string description, PosteriorEnsemble ensemble, ISimulationDataset data, TrainingOptions options, CancellationToken cancellationToken = default) =>
        Run(description, (double)options.Epochs * ensemble.Members.Count, update => ensemble.Train(data, options,
            progress: new SynchronousProgress<(int Member, TrainingProgress Progress)>(p => update((double)p.Member * options.Epochs + p.Progress.Epoch,
                $"member {p.Member + 1}: loss {p.Progress.Loss:F3} val {p.Progress.ValidationLoss:F3} {p.Progress.StepsPerSecond:F0} steps/s")),
            logger: StderrLogger.Instance, cancellationToken: cancellationToken));

    /// <summary>Runs <paramref name="work"/> with one progress bar; it reports (value in [0, max], status text).</summary>
    public static T Run<T>(string description, double max, Func<Action<double, string?>, T> work)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            T result = default!;
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(description), maxValue: max);
                    result = work((value, status) =>
                    {
                        task.Value = Math.Min(max, value);
                        if (status is not null) task.Description = Markup.Escape($"{description} {status}");
                    });
                    task.Value = max;
                });
            return result;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int lastDecile = -1;
        string? lastStatus = null;
        var value = work((v, status) =>
        {
            lastStatus = status ?? lastStatus;
            var decile = (int)Math.Floor(10 * Math.Min(1, v / max));
            if (decile <= lastDecile) return;
            lastDecile = decile;
            Console.WriteLine($"{description}: {decile * 10,3}% ({clock.Elapsed.TotalSeconds:F1} s){(lastStatus is null ? "" : " " + lastStatus)}");
        });
        if (lastDecile < 10) Console.WriteLine($"{description}: 100% ({clock.Elapsed.TotalSeconds:F1} s){(lastStatus is null ? "" : " " + lastStatus)}");
        return value;
    }
}
