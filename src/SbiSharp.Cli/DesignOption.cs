using System.CommandLine;
using SbiSharp.Estimators;

namespace SbiSharp.Cli;

/// <summary>The --method option: a named design (schedule × prediction × loss) from <see cref="DiffusionDesigns"/>.</summary>
internal static class DesignOption
{
    public static Option<string> Create() => new("--method")
    {
        Description = $"Diffusion design (schedule/prediction/loss): {string.Join(" | ", DiffusionDesigns.Names)}",
        DefaultValueFactory = _ => DiffusionDesigns.Names[0],
    };

    public static DiffusionEstimatorOptions Read(ParseResult result, Option<string> option, DiffusionEstimatorOptions baseOptions)
    {
        var name = result.GetValue(option)!;
        if (!DiffusionDesigns.Names.Contains(name.ToLowerInvariant()))
            throw new ArgumentException($"Unknown method '{name}' (--method); valid: {string.Join(", ", DiffusionDesigns.Names)}.");
        return DiffusionDesigns.Apply(baseOptions, name);
    }
}
