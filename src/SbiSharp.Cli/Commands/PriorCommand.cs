using System.CommandLine;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Networks;
using SbiSharp.States;
using SbiSharp.Training;
using Spectre.Console;

namespace SbiSharp.Cli.Commands;

/// <summary>`sbisharp prior train`: an unconditional diffusion prior over states (fields, signals, vectors) from an .npy array of samples.</summary>
internal static class PriorCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var data = new Option<string>("--data") { Description = "Samples of the state: .npy of shape (N, C, H, W), (N, C, L) or (N, D), float32 or float64", Required = true };
        var output = new Option<string>("--out") { Description = "Prior file to write", DefaultValueFactory = _ => "prior.sbis" };
        var width = new Option<int>("--unet-width") { Description = "U-Net channels at the finest resolution (fields and signals)", DefaultValueFactory = _ => UNetSpec.Default.Width };
        var levels = new Option<int>("--unet-levels") { Description = "U-Net resolutions (each halves H and W; multipliers 1, 2, 2, …)", DefaultValueFactory = _ => UNetSpec.Default.Multipliers.Length };
        var attention = new Option<bool>("--attention") { Description = "Self-attention at the U-Net's coarsest resolution" };
        var padding = new Option<string>("--padding") { Description = "U-Net edges: periodic | zero", DefaultValueFactory = _ => UNetSpec.Default.Padding.ToString().ToLowerInvariant() };
        var training = new TrainingCliOptions();
        var train = new Command("train", "Train an unconditional diffusion prior p(x) over states (a U-Net for (C, H, W) and (C, L); the residual MLP, --width/--blocks, for (D)).");
        foreach (var o in new Option[] { data, output, width, levels, attention, padding }) train.Options.Add(o);
        training.AddTo(train);
        train.SetAction(result => CliErrors.Run(result.GetValue(verbose), () =>
        {
            var options = training.Read(result);
            var path = AtomicFile.CheckWritable(result.GetValue(output)!, "--out");
            if (!Enum.TryParse<UNetPadding>(result.GetValue(padding), ignoreCase: true, out var pad))
                throw new ArgumentException($"--padding must be periodic or zero; got '{result.GetValue(padding)}'.");
            var count = result.GetValue(levels);
            if (count <= 0) throw new ArgumentException($"--unet-levels must be positive; got {count}.");
            var unet = (UNetSpec.Default with { Width = result.GetValue(width), Multipliers = Enumerable.Range(0, count).Select(l => l == 0 ? 1 : 2).ToArray(), Attention = result.GetValue(attention), Padding = pad });
            var file = result.GetValue(data)!;
            using var states = NpyFile.Read(file);
            if (states.dtype is not (TorchSharp.torch.ScalarType.Float32 or TorchSharp.torch.ScalarType.Float64))
                throw new ArgumentException($"--data '{file}' holds {states.dtype}; states must be float32 or float64.");
            if (states.dim() is < 2 or > 4) throw new ArgumentException($"--data '{file}' has shape ({string.Join(", ", states.shape)}); expected (N, C, H, W), (N, C, L) or (N, D).");
            var shape = states.shape.Skip(1).Select(s => checked((int)s)).ToArray();
            NetworkSpec network = shape.Length == 1 ? training.ReadNetwork(result) : unet with { Shape = shape };
            network.Validate();
            using var prior = new DiffusionPrior(shape, DiffusionEstimatorOptions.Default with { Network = network });
            using var interruption = new Interruption();
            var total = (double)(options.MaxSteps ?? (long)options.Epochs * Math.Max(1, (states.shape[0] + options.BatchSize - 1) / options.BatchSize));
            var trained = ConsoleProgress.Run("Training prior", total, update => prior.Train(states, options,
                new SynchronousProgress<TrainingProgress>(p => update(p.Step, $"loss {p.Loss:F3} {p.StepsPerSecond:F0} steps/s")), StderrLogger.Instance, interruption.Token));
            prior.Save(path);
            if (interruption.Signal is not null)
            {
                Console.Error.WriteLine($"interrupted: wrote the prior as trained so far to '{path}'.");
                return interruption.ExitCode;
            }
            AnsiConsole.MarkupLine($"prior over ({string.Join(", ", shape)}) from {states.shape[0]:N0} states: {prior.ParameterCount:N0} weights, {trained.Steps} steps in {trained.Seconds:F1} s; wrote [blue]{Markup.Escape(path)}[/]");
            return 0;
        }));
        var command = new Command("prior", "Unconditional diffusion priors over states, for zero-shot posteriors (sbisharp posterior).");
        command.Subcommands.Add(train);
        return command;
    }
}
