using static TorchSharp.torch;

namespace SbiSharp.States;

/// <summary>A linear observation operator A of the states half: y = A x + η, with x a state flattened to (B, D) and y an observation (B, M).</summary>
/// <remarks>
/// In <c>SbiSharp.States</c> x is the unknown state (a field or trajectory, the diffused variable) and y the observation, as in the
/// inverse-problems literature; in the NPE half the diffused variable is θ and x the observation. Fields of shape (C, H, W) are
/// flattened row-major to D = C·H·W. Both maps return fresh tensors and are differentiable torch operations.
/// </remarks>
public interface ILinearOperator
{
    /// <summary>D, the length of a flattened state.</summary>
    int InputDimension { get; }

    /// <summary>M, the length of an observation.</summary>
    int OutputDimension { get; }

    /// <summary>A short name for tables, e.g. "mask-77".</summary>
    string Name { get; }

    /// <summary>A x for a batch of states (B, D); returns (B, M).</summary>
    Tensor Apply(Tensor x);

    /// <summary>Aᵀ y for a batch (B, M); returns (B, D).</summary>
    Tensor Transpose(Tensor y);
}
