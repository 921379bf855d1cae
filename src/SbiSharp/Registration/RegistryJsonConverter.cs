using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SbiSharp.Registration;

/// <summary>Writes a <typeparamref name="TBase"/> as its properties plus the registry's discriminator ("schedule": "edm"), and reads it back
/// through the registry, so user-registered types save and load like built-in ones.</summary>
/// <remarks>The format is the one System.Text.Json's polymorphism wrote before the registries existed, so older model files load.</remarks>
public abstract class RegistryJsonConverter<TBase> : JsonConverter<TBase> where TBase : class
{
    private readonly Func<Registry<TBase>> _registry;

    /// <summary>Creates the converter for <paramref name="registry"/> (a function, so that registries can be built after the converter).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="fallback">Entry name assumed when the discriminator is missing (files from before the concept had one), or null to refuse.</param>
    protected RegistryJsonConverter(Func<Registry<TBase>> registry, string? fallback = null)
    {
        _registry = registry;
        Fallback = fallback;
    }

    private string? Fallback { get; }

    /// <inheritdoc />
    public override TBase? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var registry = _registry();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (JsonNode.Parse(ref reader) is not JsonObject node)
            throw new JsonException($"A {registry.Concept} must be a JSON object.");
        string? name = null;
        if (node.TryGetPropertyValue(registry.Discriminator, out var value))
        {
            name = value?.GetValue<string>();
            node.Remove(registry.Discriminator);
        }
        name ??= Fallback ?? throw new JsonException($"The {registry.Concept} has no \"{registry.Discriminator}\" property naming its type.");
        var entry = registry.Find(name) ?? throw new JsonException(
            $"Unknown {registry.Concept} '{name}'; registered: {string.Join(", ", registry.Names)}. A user type must be registered before the file is loaded.");
        return (TBase?)node.Deserialize(entry.Type, options);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TBase value, JsonSerializerOptions options)
    {
        var registry = _registry();
        var name = registry.NameOf(value);
        var node = JsonSerializer.SerializeToNode(value, value.GetType(), options) as JsonObject
            ?? throw new JsonException($"The {registry.Concept} {value.GetType().Name} must serialize to a JSON object.");
        writer.WriteStartObject();
        writer.WriteString(registry.Discriminator, name);
        foreach (var (key, property) in node)
        {
            writer.WritePropertyName(key);
            if (property is null) writer.WriteNullValue();
            else property.WriteTo(writer, options);
        }
        writer.WriteEndObject();
    }
}
