using System.Text.Json;
using System.Text.Json.Serialization;
using SbiSharp.Denoising;

namespace SbiSharp.Estimators;

/// <summary>JSON of <see cref="DiffusionEstimatorOptions.Loss"/>: a registered parameterization; also reads the loss-space enum that files written before 2026-12-02 hold (0 Noise, 1 Velocity, 2 FlowVelocity, 3 F, 4 Data, or the name).</summary>
internal sealed class LossJsonConverter : JsonConverter<Parameterization>
{
    private static readonly string[] Legacy = { "Noise", "Velocity", "FlowVelocity", "F", "Data" };
    private readonly ParameterizationJsonConverter _inner = new();

    public override Parameterization Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            var index = reader.GetInt32();
            return index >= 0 && index < Legacy.Length ? FromLegacy(Legacy[index])
                : throw new JsonException($"`Loss` = {index} is not a loss space (0..{Legacy.Length - 1} in old files).");
        }
        if (reader.TokenType == JsonTokenType.String)
        {
            var name = reader.GetString()!;
            return Legacy.Contains(name) ? FromLegacy(name) : throw new JsonException($"`Loss` = '{name}' is not a loss space; valid in old files: {string.Join(", ", Legacy)}.");
        }
        return _inner.Read(ref reader, typeToConvert, options) ?? throw new JsonException("`Loss` is null; it must name a parameterization.");
    }

    public override void Write(Utf8JsonWriter writer, Parameterization value, JsonSerializerOptions options) => _inner.Write(writer, value, options);

    private static Parameterization FromLegacy(string name) => name switch
    {
        "Noise" => new NoiseParameterization(),
        "Velocity" => new VelocityParameterization(),
        "FlowVelocity" => new FlowVelocityParameterization(),
        "F" => new EdmParameterization(),
        _ => new DataParameterization(),
    };
}
