using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Spaces;

namespace SbiSharp.Guidance;

/// <summary>What a <see cref="DenoiserGuidance"/> needs besides the denoiser it wraps.</summary>
/// <param name="Space">Maps the denoiser's standardized, unconstrained θ to original units and back (identity for a denoiser in original units).</param>
/// <param name="Unconditional">The model's unconditional denoiser (trained with condition dropout), or null.</param>
public sealed record GuidanceContext(ParameterSpace Space, IDenoiser? Unconditional = null)
{
    /// <summary>A context whose map to original units is affine: <paramref name="thetaStandardizer"/> only.</summary>
    public GuidanceContext(Standardizer thetaStandardizer, IDenoiser? unconditional = null)
        : this(ParameterSpace.Affine(thetaStandardizer), unconditional)
    {
    }
}
