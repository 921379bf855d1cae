using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>The seam for a summary (embedding) network of x: (B, Dx) ↦ (B, E), trained end to end with the conditional network it feeds.</summary>
/// <remarks>
/// Implement <c>forward</c> and register submodules with <c>RegisterComponents()</c>; describe it by an <see cref="EmbeddingSpec"/>
/// registered in <see cref="Registration.Registries.Embeddings"/> so that a model saves and loads. The input is the standardized
/// observation; return a fresh tensor and never dispose the input. <see cref="IdentityEmbedding"/> (the default) passes x through.
/// </remarks>
public abstract class ObservationEmbedding : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="inputDimension">Dx.</param>
    /// <param name="outputDimension">E, the summary dimension.</param>
    protected ObservationEmbedding(string name, int inputDimension, int outputDimension) : base(name)
    {
        Internal.Check.PositiveValue(inputDimension, nameof(inputDimension));
        Internal.Check.PositiveValue(outputDimension, nameof(outputDimension));
        InputDimension = inputDimension;
        OutputDimension = outputDimension;
    }

    /// <summary>Dx.</summary>
    public int InputDimension { get; }

    /// <summary>E, what the conditional network receives in place of x.</summary>
    public int OutputDimension { get; }
}
