using SbiSharp.Registration;

namespace SbiSharp.Networks;

/// <summary>JSON for <see cref="EmbeddingSpec"/> through <see cref="Registries.Embeddings"/>.</summary>
public sealed class EmbeddingSpecJsonConverter() : RegistryJsonConverter<EmbeddingSpec>(() => Registries.Embeddings, "identity");
