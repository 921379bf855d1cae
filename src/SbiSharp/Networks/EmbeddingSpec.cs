using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>A serializable description of an <see cref="ObservationEmbedding"/>, stored in the model file (JSON "embedding": its registered name).</summary>
/// <remarks>A user embedding: derive a record from this, build the module in <see cref="Create"/>, and register it once with
/// <c>Registries.Embeddings.Register("my-summary", () =&gt; new MySummarySpec(), "…")</c>.</remarks>
[JsonConverter(typeof(EmbeddingSpecJsonConverter))]
public abstract record EmbeddingSpec
{
    /// <summary>Builds the embedding with weights initialized from <paramref name="generator"/>.</summary>
    /// <param name="observationDimension">Dx.</param>
    /// <param name="generator">Initialization randomness; the same seed must give the same weights.</param>
    public abstract ObservationEmbedding Create(int observationDimension, Generator? generator);

    /// <summary>Whether this is the identity, which the estimator leaves out of the network altogether (model files as before the seam).</summary>
    [JsonIgnore]
    public virtual bool IsIdentity => false;

    /// <summary>Throws on the first invalid field; returns this.</summary>
    public virtual EmbeddingSpec Validate() => this;
}
