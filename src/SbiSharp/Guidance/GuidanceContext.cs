using SbiSharp.Data;
using SbiSharp.Denoising;

namespace SbiSharp.Guidance;

/// <summary>What a <see cref="DenoiserGuidance"/> needs besides the denoiser it wraps.</summary>
/// <param name="ThetaStandardizer">Maps the denoiser's standardized θ to original units (identity for a denoiser in original units).</param>
/// <param name="Unconditional">The model's unconditional denoiser (trained with condition dropout), or null.</param>
public sealed record GuidanceContext(Standardizer ThetaStandardizer, IDenoiser? Unconditional = null);
