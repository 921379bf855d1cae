namespace SbiSharp.Cli.Benchmark;

/// <summary>Published mean C2ST numbers to compare with (from ../shared/tasks.md).</summary>
internal static class PublishedResults
{
    /// <summary>sbibm NPE (neural spline flow), budgets 10³ / 10⁴ / 10⁵ (Lueckmann et al. 2021).</summary>
    public static readonly IReadOnlyDictionary<string, double[]> Npe = new Dictionary<string, double[]>
    {
        ["two_moons"] = new[] { .725, .606, .542 },
        ["gaussian_linear"] = new[] { .694, .552, .506 },
        ["gaussian_linear_uniform"] = new[] { .696, .553, .509 },
        ["slcp"] = new[] { .975, .901, .831 },
        ["bernoulli_glm"] = new[] { .863, .678, .559 },
        ["gaussian_mixture"] = new[] { .716, .615, .548 },
    };

    /// <summary>BayesFlow's diffusion model (EDM-VP, F-prediction, ~32 million online simulations; Arruda et al. 2025).</summary>
    public static readonly IReadOnlyDictionary<string, double> BayesFlow = new Dictionary<string, double>
    {
        ["gaussian_linear"] = .503,
        ["two_moons"] = .513,
        ["gaussian_mixture"] = .523,
        ["slcp"] = .637,
    };

    /// <summary>The NPE number at <paramref name="budget"/> if it is one of 10³, 10⁴, 10⁵.</summary>
    public static double? NpeAt(string task, int budget) =>
        Npe.TryGetValue(task, out var values) ? budget switch { 1_000 => values[0], 10_000 => values[1], 100_000 => values[2], _ => null } : null;
}
