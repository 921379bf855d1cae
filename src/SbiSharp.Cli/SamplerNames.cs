using SbiSharp.Sampling;

namespace SbiSharp.Cli;

/// <summary>Parses sampler names at the command-line edge into sampler types.</summary>
internal static class SamplerNames
{
    public static readonly string[] Valid = { "heun", "euler-maruyama", "dpm-solver++" };

    /// <summary>Default step count of each sampler, for --help.</summary>
    public static string DefaultSteps => $"heun: {HeunSampler.DefaultSteps}, euler-maruyama: {EulerMaruyamaSampler.DefaultSteps}, dpm-solver++: {DpmSolverPlusPlusSampler.DefaultSteps}";

    public static DiffusionSampler Create(string name, int? steps) => name.ToLowerInvariant() switch
    {
        "heun" => new HeunSampler(steps ?? HeunSampler.DefaultSteps),
        "euler-maruyama" or "em" => new EulerMaruyamaSampler(steps ?? EulerMaruyamaSampler.DefaultSteps),
        "dpm-solver++" or "dpm++2m" => new DpmSolverPlusPlusSampler(steps ?? DpmSolverPlusPlusSampler.DefaultSteps),
        _ => throw new ArgumentException($"Unknown sampler '{name}' (--sampler); valid: {string.Join(", ", Valid)}."),
    };
}
