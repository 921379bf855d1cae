using System.CommandLine;
using SbiSharp.Estimators;

namespace SbiSharp.Cli;

/// <summary>Command-line options for sampling; defaults come from <see cref="SamplingOptions.Default"/>.</summary>
internal sealed class SamplingCliOptions
{
    public Option<string> Sampler { get; } = new("--sampler")
    {
        Description = $"Sampler (default: the model family's own, {SamplerNames.Defaults}; {SamplerNames.Help})",
    };

    public Option<int?> Steps { get; } = new("--steps") { Description = "Sampler steps (default: the sampler's own, listed under --sampler)" };

    public Option<double?> RelativeTolerance { get; } = new("--rtol") { Description = "Relative tolerance of the adaptive samplers (default: the sampler's own, listed under --sampler)" };

    public Option<int> ChunkSize { get; } = new("--chunk-size") { Description = "Most rows integrated at once (bounds memory; the same --seed with another chunk size gives other draws)", DefaultValueFactory = _ => SamplingOptions.Default.ChunkSize };

    public void AddTo(Command command)
    {
        command.Options.Add(Sampler);
        command.Options.Add(Steps);
        command.Options.Add(RelativeTolerance);
        command.Options.Add(ChunkSize);
    }

    /// <summary>Refuses an unknown --sampler or a bad --steps/--rtol before anything is loaded (the sampler itself is built once the model family is known).</summary>
    public void Check(ParseResult result)
    {
        var steps = result.GetValue(Steps);
        if (steps is <= 0) throw new ArgumentException($"--steps must be positive; got {steps}.");
        // SamplerNames.Create holds the name and --rtol checks; a throwaway sampler (any registered one when --sampler is absent) runs them.
        SamplerNames.Create(result.GetValue(Sampler) ?? SamplerNames.Valid[0], steps, result.GetValue(RelativeTolerance));
    }

    /// <summary>The options on the command line; without --sampler, the default sampler of <paramref name="family"/> (with --steps/--rtol applied to it).</summary>
    public SamplingOptions Read(ParseResult result, long seed, SbiSharp.Training.ObjectiveSpec family)
    {
        var steps = result.GetValue(Steps);
        if (steps is <= 0) throw new ArgumentException($"--steps must be positive; got {steps}.");
        var name = result.GetValue(Sampler);
        var rtol = result.GetValue(RelativeTolerance);
        // Nothing about the sampler on the command line: the family's own default, with its own settings (a consistency model's step count, say).
        var sampler = name is null && steps is null && rtol is null
            ? family.DefaultSampler()
            : SamplerNames.Create(name ?? SamplerNames.NameOf(family.DefaultSampler()), steps, rtol);
        return new SamplingOptions
        {
            Sampler = sampler,
            Seed = seed,
            ChunkSize = result.GetValue(ChunkSize),
        }.Validate();
    }
}
