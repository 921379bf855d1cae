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

    /// <summary>The registered name of <paramref name="sampler"/>'s type.</summary>
    public static string NameOf(DiffusionSampler sampler) =>
        Registries.Samplers.Find(sampler.GetType())?.Name ?? throw new InvalidOperationException($"The sampler type {sampler.GetType().Name} is not registered in {nameof(Registries)}.{nameof(Registries.Samplers)}.");

    /// <summary>Each model family's default sampler, for --help: "denoising: dpm-solver++, consistency: consistency, …".</summary>
    public static string Defaults => string.Join(", ", Registries.Objectives.Entries.Select(e => $"{e.Name}: {NameOf(e.Create(CreationArguments.None).DefaultSampler())}"));

    public static DiffusionSampler Create(string name, int? steps, double? relativeTolerance = null)
    {
        if (relativeTolerance is { } r && !(r > 0 && double.IsFinite(r)))
            throw new ArgumentException($"--rtol must be positive; got {r}.");
        var entry = Registries.Samplers.Find(name) ?? throw new ArgumentException($"Unknown sampler '{name}' (--sampler); valid: {string.Join(", ", Valid)}.");
        return entry.Create(new CreationArguments(steps, relativeTolerance));
    }
}
