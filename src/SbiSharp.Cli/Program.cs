using System.CommandLine;
using SbiSharp.Cli.Commands;

namespace SbiSharp.Cli;

/// <summary>The `sbisharp` command line.</summary>
internal static class Program
{
    private static int Main(string[] args) => Run(args);

    /// <summary>Parses and runs a command line; returns the exit code (2 on bad input).</summary>
    internal static int Run(string[] args)
    {
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces on errors", Recursive = true };
        var root = new RootCommand("SbiSharp: simulation-based inference with diffusion models.");
        root.Options.Add(verbose);
        root.Subcommands.Add(DemoCommand.Create(verbose));
        root.Subcommands.Add(TrainCommand.Create(verbose));
        root.Subcommands.Add(DistillCommand.Create(verbose));
        root.Subcommands.Add(SampleCommand.Create(verbose));
        root.Subcommands.Add(DiagnoseCommand.Create(verbose));
        root.Subcommands.Add(PriorCommand.Create(verbose));
        root.Subcommands.Add(PosteriorCommand.Create(verbose));
        root.Subcommands.Add(BenchCommand.Create(verbose));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line and exit code 2, as for every other bad input; the command's --help lists the options.
            var command = parsed.CommandResult.Command == root ? "sbisharp" : "sbisharp " + parsed.CommandResult.Command.Name;
            Console.Error.WriteLine($"error: {parsed.Errors[0].Message.ReplaceLineEndings(" ")} (see '{command} --help')");
            return 2;
        }
        return parsed.Invoke();
    }
}
