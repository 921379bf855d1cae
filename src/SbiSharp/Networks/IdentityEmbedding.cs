using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>The identity embedding: the network sees the standardized x itself (E = Dx).</summary>
public sealed class IdentityEmbedding : ObservationEmbedding
{
    /// <summary>Creates it for Dx = <paramref name="dimension"/>.</summary>
    public IdentityEmbedding(int dimension) : base(nameof(IdentityEmbedding), dimension, dimension)
    {
    }

    /// <summary>Returns a copy of <paramref name="x"/> (a fresh tensor, as the seam promises).</summary>
    public override Tensor forward(Tensor x) => x.alias();
}
