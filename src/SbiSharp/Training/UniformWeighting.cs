using SbiSharp.Noise;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>No weighting: w(λ) = 1 (the "simple" loss of Ho et al. 2020 in noise space; plain flow matching in flow-velocity space).</summary>
public sealed class UniformWeighting : LossWeighting
{
    /// <inheritdoc />
    public override string Name => "none";

    /// <inheritdoc />
    public override Tensor Weight(INoiseSchedule schedule, Tensor logSnr, Tensor uniform) => ones_like(logSnr);
}
