using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>A conditional network behind an observation embedding: (θ_t, time, x) ↦ network(θ_t, time, embedding(x)), one module trained end to end.</summary>
/// <remarks>With a presence flag (condition dropout) the last input column is the flag: the embedding sees the other columns and the
/// network gets [embedding(x)·flag, flag], so an absent observation is a zero summary as it is a zero x without an embedding.</remarks>
public sealed class EmbeddedNetwork : ConditionalNetwork
{
    private readonly ObservationEmbedding embedding;
    private readonly ConditionalNetwork network;
    private readonly bool _flag;

    /// <summary>Composes <paramref name="embedding"/> and <paramref name="network"/> (owns both).</summary>
    /// <param name="embedding">Dx ↦ E.</param>
    /// <param name="network">Takes E inputs, plus one when <paramref name="hasPresenceFlag"/>.</param>
    /// <param name="hasPresenceFlag">Whether the last observation input is the "observation present" flag.</param>
    /// <exception cref="ArgumentException">The network's observation inputs do not match the embedding's output.</exception>
    public EmbeddedNetwork(ObservationEmbedding embedding, ConditionalNetwork network, bool hasPresenceFlag)
        : base(nameof(EmbeddedNetwork), (network ?? throw new ArgumentNullException(nameof(network))).ParameterDimension,
            (embedding ?? throw new ArgumentNullException(nameof(embedding))).InputDimension + (hasPresenceFlag ? 1 : 0))
    {
        var expected = embedding.OutputDimension + (hasPresenceFlag ? 1 : 0);
        if (network.ObservationDimension != expected)
            throw new ArgumentException($"`network` takes {network.ObservationDimension} observation inputs; the embedding gives {embedding.OutputDimension}{(hasPresenceFlag ? " plus the presence flag" : "")} = {expected}.", nameof(network));
        this.embedding = embedding;
        this.network = network;
        _flag = hasPresenceFlag;
        RegisterComponents();
    }

    /// <summary>The embedding.</summary>
    public ObservationEmbedding Embedding => embedding;

    /// <summary>The conditional network after it.</summary>
    public ConditionalNetwork Network => network;

    /// <inheritdoc />
    public override bool BroadcastsSharedInputs => network.BroadcastsSharedInputs;

    /// <inheritdoc />
    public override Generator? DropoutGenerator { get => network.DropoutGenerator; set => network.DropoutGenerator = value; }

    /// <inheritdoc />
    public override Tensor forward(Tensor thetaT, Tensor time, Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor summary;
        if (_flag)
        {
            var d = x.shape[1] - 1;
            var flag = x.narrow(1, d, 1);
            summary = cat(new[] { embedding.forward(x.narrow(1, 0, d)) * flag, flag }, 1);
        }
        else summary = embedding.forward(x);
        return network.forward(thetaT, time, summary).MoveToOuterDisposeScope();
    }
}
