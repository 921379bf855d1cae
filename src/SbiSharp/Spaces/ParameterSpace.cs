using SbiSharp.Data;
using SbiSharp.Internal;
using SbiSharp.Priors;
using SbiSharp.Torch;
using static TorchSharp.torch;

namespace SbiSharp.Spaces;

/// <summary>The map between θ in the prior's units and the standardized, unconstrained z the denoiser works in: z = S(T(θ)).</summary>
/// <remarks>T is a per-coordinate <see cref="ParameterTransform"/> onto ℝᴰ, S the affine <see cref="Data.Standardizer"/> fitted on T(θ) of the
/// training data. Guidance, composition and log densities go through this one object, so they all agree on what a point means.</remarks>
/// <param name="Transform">θ ↔ u.</param>
/// <param name="Standardizer">u ↔ z.</param>
public sealed record ParameterSpace(ParameterTransform Transform, Standardizer Standardizer)
{
    /// <summary>An affine map only (no bounds), as for a denoiser already in original units when <paramref name="standardizer"/> is the identity.</summary>
    public static ParameterSpace Affine(Standardizer standardizer)
    {
        ArgumentNullException.ThrowIfNull(standardizer);
        return new(ParameterTransform.Identity(standardizer.Dimension), standardizer);
    }

    /// <summary>Dθ.</summary>
    public int Dimension => Standardizer.Dimension;

    /// <summary>The support of θ.</summary>
    public Support Support => Transform.Support;

    /// <summary>θ (B, D) → z (B, D).</summary>
    public Tensor ToStandardized(Tensor theta)
    {
        Check.Matrix(theta, Dimension, nameof(theta), "to match the parameter space");
        using var scope = NewDisposeScope();
        return Standardizer.Forward(Transform.Forward(theta)).MoveToOuterDisposeScope();
    }

    /// <summary>z (…, D) → θ (…, D); differentiable.</summary>
    public Tensor ToOriginal(Tensor z)
    {
        using var scope = NewDisposeScope();
        return Transform.Inverse(Standardizer.Inverse(z)).MoveToOuterDisposeScope();
    }

    /// <summary>log|det dθ/dz| at z (…, D), shape (…): the standardization's log-scale plus the transform's log-Jacobian.</summary>
    public Tensor LogAbsDetToOriginal(Tensor z)
    {
        using var scope = NewDisposeScope();
        return Transform.LogAbsDetInverse(Standardizer.Inverse(z)).Add(Standardizer.LogScale).MoveToOuterDisposeScope();
    }

    /// <summary>z for one value of coordinate <paramref name="index"/> in original units.</summary>
    public double StandardizedValue(int index, double value, string parameterName = "value") =>
        (Transform.ForwardValue(index, value, parameterName) - Standardizer.Mean[index]) / Standardizer.Std[index];
}
