using System.Text.Json.Serialization;

namespace SbiSharp.Spaces;

/// <summary>How one coordinate of θ is mapped to the unconstrained value u the network sees.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CoordinateTransform>))]
public enum CoordinateTransform
{
    /// <summary>u = θ (an unbounded coordinate, or a bounded one whose draws are then rejected outside the support).</summary>
    Identity,

    /// <summary>u = logit((θ − a)/(b − a)) for θ ∈ [a, b].</summary>
    Logit,

    /// <summary>u = log(θ − a) for θ ∈ [a, ∞).</summary>
    Log,

    /// <summary>u = log(b − θ) for θ ∈ (−∞, b].</summary>
    NegatedLog,
}
