using System.CommandLine;
using SbiSharp.Estimators;

namespace SbiSharp.Cli;

/// <summary>Command-line options for sampling; defaults come from <see cref="SamplingOptions.Default"/>.</summary>
internal sealed class SamplingCliOptions
{
    public Option<string> Sampler { get; } = new("--sampler")
    {
        Description = $"Sampler ({SamplerNames.Help})",
        DefaultValueFactory = _ => SbiSharp.Registration.Registries.Samplers.Find(SamplingOptions.Default.Sampler.GetType())?.Name ?? SamplerNames.Valid[0],
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

    public SamplingOptions Read(ParseResult result, long seed)
    {
        var steps = result.GetValue(Steps);
        if (steps is <= 0) throw new ArgumentException($"--steps must be positive; got {steps}.");
        return new SamplingOptions
        {
            Sampler = SamplerNames.Create(result.GetValue(Sampler)!, steps, result.GetValue(RelativeTolerance)),
            Seed = seed,
            ChunkSize = result.GetValue(ChunkSize),
        }.Validate();
    }
}
