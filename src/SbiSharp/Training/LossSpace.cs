namespace SbiSharp.Training;

/// <summary>The space the squared error is measured in; each is a λ-dependent multiple c(λ) of the data-space error D − θ.</summary>
/// <remarks>
/// With ε̂ = (θ_t − αD)/σ: noise error = (α/σ)(θ − D); velocity v = αε − σθ: ((α² + σ²)/σ)(θ − D); flow velocity u = ε − θ:
/// ((α + σ)/σ)(θ − D); EDM F: (θ − D)/c_out(λ) with σ_d = 1. Together with a <see cref="LossWeighting"/> this fixes the
/// objective's weighting over noise levels (Kingma &amp; Gao 2023, arXiv:2303.00848).
/// </remarks>
public enum LossSpace
{
    /// <summary>Error of the implied noise ε̂.</summary>
    Noise,

    /// <summary>Error of the implied v = αε − σθ.</summary>
    Velocity,

    /// <summary>Error of the implied flow-matching velocity u = ε − θ.</summary>
    FlowVelocity,

    /// <summary>Error of the implied EDM network target F (σ_d = 1).</summary>
    F,

    /// <summary>Error of the denoised mean itself.</summary>
    Data,
}
