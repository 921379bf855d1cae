using System.CommandLine;
using SbiSharp.Priors;
using SbiSharp.Spaces;

namespace SbiSharp.Cli;

/// <summary>The --transform option: the space a built-in task's parameters are learned in (θ itself with rejection, or logit/log space).</summary>
internal static class TransformOption
{
    /// <summary>The choices, in --help order; the first is the default.</summary>
    public static readonly IReadOnlyList<string> Names = new[] { "identity", "unconstrained" };

    public static Option<string> Create() => new("--transform")
    {
        Description = "Space the network learns θ in: identity (θ as it is; draws outside the prior's support are rejected) | unconstrained (logit on a box prior, log on a positive one; every draw inside by construction)",
        DefaultValueFactory = _ => Names[0],
    };

    /// <summary>The option's value as a rule: prior → transform.</summary>
    public static Func<IPrior, ParameterTransform> Read(ParseResult result, Option<string> option)
    {
        var name = result.GetValue(option)!.ToLowerInvariant();
        return name switch
        {
            "identity" => prior => ParameterTransform.Identity(prior.Support),
            "unconstrained" => prior => ParameterTransform.Unconstrained(prior.Support),
            _ => throw new ArgumentException($"Unknown transform '{result.GetValue(option)}' (--transform); valid: {string.Join(", ", Names)}."),
        };
    }
}
