using SbiSharp.Registration;
using SbiSharp.Sampling;

namespace SbiSharp.Cli;

/// <summary>The --sampler option's view of <see cref="Registries.Samplers"/>: names, --help text and parsing.</summary>
internal static class SamplerNames
{
    /// <summary>Every registered sampler name (a user's registered sampler included).</summary>
    public static IReadOnlyList<string> Valid => Registries.Samplers.Names;

    /// <summary>One line per sampler for --help: name, what it is and its default steps or tolerance.</summary>
    public static string Help => string.Join("; ", Registries.Samplers.Entries.Select(e => $"{e.Name}: {e.Description}"));

    public static DiffusionSampler Create(string name, int? steps, double? relativeTolerance = null)
    {
        if (relativeTolerance is { } r && !(r > 0 && double.IsFinite(r)))
            throw new ArgumentException($"--rtol must be positive; got {r}.");
        var entry = Registries.Samplers.Find(name) ?? throw new ArgumentException($"Unknown sampler '{name}' (--sampler); valid: {string.Join(", ", Valid)}.");
        return entry.Create(new CreationArguments(steps, relativeTolerance));
    }
}
