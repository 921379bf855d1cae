using SbiSharp.Denoising;

namespace SbiSharp.States;

/// <summary>Pseudoinverse-guided diffusion (<see cref="PigdmDenoiser"/>): isotropic covariance, one backward pass per call.</summary>
public sealed record PigdmMethod : ZeroShotMethod
{
    /// <inheritdoc />
    public override int BackwardPasses => 1;

    /// <inheritdoc />
    public override IDenoiser Wrap(IDenoiser prior, ObservationSet observations) => new PigdmDenoiser(prior, observations);
}
