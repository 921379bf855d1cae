using SbiSharp.Sampling;

namespace SbiSharp.Cli;

/// <summary>Parses sampler names at the command-line edge into sampler types.</summary>
internal static class SamplerNames
{
    public static readonly string[] Valid =
    {
        "heun", "euler", "euler-maruyama", "dpm-solver++", "rk45", "tsit5", "rk45-adaptive", "tsit5-adaptive", "sde-adaptive", "langevin-pc", "ancestral",
    };

    /// <summary>Default step count of each fixed-grid sampler, for --help.</summary>
    public static string DefaultSteps =>
        $"heun: {HeunSampler.DefaultSteps}, euler: {EulerSampler.DefaultSteps}, euler-maruyama: {EulerMaruyamaSampler.DefaultSteps}, " +
        $"dpm-solver++: {DpmSolverPlusPlusSampler.DefaultSteps}, rk45/tsit5: {DormandPrinceSampler.DefaultSteps}, langevin-pc: {LangevinCorrectorSampler.DefaultSteps}, ancestral: {AncestralSampler.DefaultSteps}";

    /// <summary>Default relative tolerances of the adaptive samplers, for --help.</summary>
    public static string DefaultTolerances =>
        $"rk45-adaptive/tsit5-adaptive: {AdaptiveStepOptions.Default.RelativeTolerance}, sde-adaptive: {AdaptiveSdeOptions.Default.RelativeTolerance}";

    public static DiffusionSampler Create(string name, int? steps, double? relativeTolerance = null)
    {
        if (relativeTolerance is { } r && !(r > 0 && double.IsFinite(r)))
            throw new ArgumentException($"--rtol must be positive; got {r}.");
        var ode = relativeTolerance is { } rtol ? AdaptiveStepOptions.Default with { RelativeTolerance = rtol } : AdaptiveStepOptions.Default;
        var sde = relativeTolerance is { } rs ? AdaptiveSdeOptions.Default with { RelativeTolerance = rs } : AdaptiveSdeOptions.Default;
        return name.ToLowerInvariant() switch
        {
            "heun" => new HeunSampler(steps ?? HeunSampler.DefaultSteps),
            "euler" => new EulerSampler(steps ?? EulerSampler.DefaultSteps),
            "euler-maruyama" or "em" => new EulerMaruyamaSampler(steps ?? EulerMaruyamaSampler.DefaultSteps),
            "dpm-solver++" or "dpm++2m" => new DpmSolverPlusPlusSampler(steps ?? DpmSolverPlusPlusSampler.DefaultSteps),
            "rk45" => new DormandPrinceSampler(steps ?? DormandPrinceSampler.DefaultSteps),
            "tsit5" => new Tsit5Sampler(steps ?? Tsit5Sampler.DefaultSteps),
            "rk45-adaptive" => new DormandPrinceSampler(steps ?? DormandPrinceSampler.DefaultSteps, ode),
            "tsit5-adaptive" => new Tsit5Sampler(steps ?? Tsit5Sampler.DefaultSteps, ode),
            "sde-adaptive" => new AdaptiveSdeSampler(sde),
            "langevin-pc" => new LangevinCorrectorSampler(steps ?? LangevinCorrectorSampler.DefaultSteps),
            "ancestral" => new AncestralSampler(steps ?? AncestralSampler.DefaultSteps),
            _ => throw new ArgumentException($"Unknown sampler '{name}' (--sampler); valid: {string.Join(", ", Valid)}."),
        };
    }
}
