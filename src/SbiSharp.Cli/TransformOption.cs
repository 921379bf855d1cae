using System.CommandLine;
using SbiSharp.Priors;
using SbiSharp.Spaces;

namespace SbiSharp.Cli;

/// <summary>The --transform option: how a built-in task's bounded parameters are mapped to the unconstrained space the network learns in.</summary>
internal static class TransformOption
{
    /// <summary>The choices, in --help order; the first is the default.</summary>
    public static readonly IReadOnlyList<string> Names = new[] { "auto", "identity" };

    public static Option<string> Create() => new("--transform")
    {
        Description = "Map of θ to unconstrained space: auto (logit on a box prior, log on a positive one) | identity (learn θ as it is; draws outside the prior's support are rejected)",
        DefaultValueFactory = _ => Names[0],
    };

    /// <summary>The option's value as a rule: prior → transform.</summary>
    public static Func<IPrior, ParameterTransform> Read(ParseResult result, Option<string> option)
    {
        var name = result.GetValue(option)!.ToLowerInvariant();
        return name switch
        {
            "auto" => prior => ParameterTransform.For(prior.Support),
            "identity" => prior => ParameterTransform.Identity(prior.Support),
            _ => throw new ArgumentException($"Unknown transform '{result.GetValue(option)}' (--transform); valid: {string.Join(", ", Names)}."),
        };
    }
}
