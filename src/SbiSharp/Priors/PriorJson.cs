using System.Text.Json;
using System.Text.Json.Nodes;

namespace SbiSharp.Priors;

/// <summary>The library's priors as JSON, so that a model file keeps the prior it was trained with: box-uniform, gaussian, diagonal-gaussian, log-normal and independent products of these.</summary>
/// <remarks>A prior of another type (a user's <see cref="IPrior"/>) has no JSON form: <see cref="TryWrite"/> returns null, and the model file then keeps
/// only the prior's support (as files did before priors were stored); pass such a prior again where one is wanted.</remarks>
public static class PriorJson
{
    /// <summary>The names <see cref="Read"/> accepts in the "prior" field.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "box-uniform", "gaussian", "diagonal-gaussian", "log-normal", "independent" };

    /// <summary>The JSON of <paramref name="prior"/>, or null when it (or a part of it) is not one of the library's types.</summary>
    public static JsonObject? TryWrite(IPrior prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        switch (prior)
        {
            case BoxUniformPrior box:
                return new JsonObject { ["prior"] = "box-uniform", ["low"] = Array(box.Low), ["high"] = Array(box.High) };
            case GaussianPrior gaussian:
                var covariance = gaussian.Covariance;
                var rows = new JsonArray();
                for (int i = 0; i < covariance.GetLength(0); i++)
                    rows.Add(Array(Enumerable.Range(0, covariance.GetLength(1)).Select(j => covariance[i, j]).ToArray()));
                return new JsonObject { ["prior"] = "gaussian", ["mean"] = Array(gaussian.Mean), ["covariance"] = rows };
            case DiagonalGaussianPrior diagonal:
                return new JsonObject { ["prior"] = "diagonal-gaussian", ["mean"] = Array(diagonal.Mean), ["std"] = Array(diagonal.Std) };
            case LogNormalPrior logNormal:
                return new JsonObject { ["prior"] = "log-normal", ["mu"] = Array(logNormal.Mu), ["sigma"] = Array(logNormal.Sigma) };
            case IndependentPrior independent:
                var parts = new JsonArray();
                foreach (var part in independent.Parts)
                {
                    if (TryWrite(part) is not { } node) return null;
                    parts.Add(node);
                }
                return new JsonObject { ["prior"] = "independent", ["parts"] = parts };
            default:
                return null;
        }
    }

    /// <summary>Reads a prior written by <see cref="TryWrite"/>.</summary>
    /// <exception cref="JsonException">Unknown name, a missing field, or values the prior's constructor refuses (the message says which).</exception>
    public static IPrior Read(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is not JsonObject o) throw new JsonException("A prior must be a JSON object.");
        var name = o["prior"]?.GetValue<string>() ?? throw new JsonException("The prior has no \"prior\" field naming its type.");
        try
        {
            return name switch
            {
                "box-uniform" => new BoxUniformPrior(Doubles(o, "low"), Doubles(o, "high")),
                "gaussian" => new GaussianPrior(Doubles(o, "mean"), Matrix(o, "covariance")),
                "diagonal-gaussian" => new DiagonalGaussianPrior(Doubles(o, "mean"), Doubles(o, "std")),
                "log-normal" => new LogNormalPrior(Doubles(o, "mu"), Doubles(o, "sigma")),
                "independent" => IndependentPrior.Of(((o["parts"] as JsonArray) ?? throw new JsonException("The independent prior has no \"parts\" array.")).Select(p => Read(p!)).ToArray()),
                _ => throw new JsonException($"Unknown prior '{name}'; known: {string.Join(", ", Names)}."),
            };
        }
        catch (ArgumentException e)
        {
            throw new JsonException($"The {name} prior in the file is invalid: {e.Message}", e);
        }
    }

    private static JsonArray Array(IReadOnlyList<double> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static double[] Doubles(JsonObject o, string field) =>
        (o[field] as JsonArray ?? throw new JsonException($"The prior has no \"{field}\" array.")).Select(v => v?.GetValue<double>() ?? throw new JsonException($"\"{field}\" holds a null.")).ToArray();

    private static double[,] Matrix(JsonObject o, string field)
    {
        var rows = (o[field] as JsonArray ?? throw new JsonException($"The prior has no \"{field}\" array.")).Select(r => (r as JsonArray ?? throw new JsonException($"\"{field}\" must be an array of rows.")).Select(v => v!.GetValue<double>()).ToArray()).ToArray();
        var m = new double[rows.Length, rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != rows.Length) throw new JsonException($"\"{field}\" must be square; row {i + 1} has {rows[i].Length} values, not {rows.Length}.");
            for (int j = 0; j < rows.Length; j++) m[i, j] = rows[i][j];
        }
        return m;
    }
}
