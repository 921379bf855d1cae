using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>Describes the <see cref="IdentityEmbedding"/> (the default: no summary network).</summary>
public sealed record IdentityEmbeddingSpec : EmbeddingSpec
{
    /// <summary>The one instance.</summary>
    public static IdentityEmbeddingSpec Default { get; } = new();

    /// <inheritdoc />
    public override bool IsIdentity => true;

    /// <inheritdoc />
    public override ObservationEmbedding Create(int observationDimension, Generator? generator) => new IdentityEmbedding(observationDimension);
}
