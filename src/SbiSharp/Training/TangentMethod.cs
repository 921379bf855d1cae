namespace SbiSharp.Training;

/// <summary>How <see cref="StableConsistencySpec"/> computes the time derivative dF/dt of the network along the probability-flow direction (a Jacobian–vector
/// product; TorchSharp has no forward-mode automatic differentiation).</summary>
public enum TangentMethod
{
    /// <summary>Central finite difference: two extra forward passes without gradients (the default; docs/consistency-models.md measures both).</summary>
    FiniteDifference,

    /// <summary>The double-backward trick: J·v = ∂/∂u (uᵀJ)·v through a second reverse pass; exact up to rounding, about three passes' cost.</summary>
    DoubleBackward,
}
