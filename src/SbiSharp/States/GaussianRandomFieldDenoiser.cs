using SbiSharp.Denoising;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>The exact denoiser of a <see cref="GaussianRandomField"/>: E[x | x_t] = F⁻¹[αP/(α²P + σ²) · F x_t], diagonal in Fourier space; differentiable.</summary>
internal sealed class GaussianRandomFieldDenoiser(GaussianRandomField prior, INoiseSchedule schedule) : IDenoiser
{
    private readonly Tensor _spectrum = prior.PowerSpectrum();

    public INoiseSchedule Schedule { get; } = schedule ?? throw new ArgumentNullException(nameof(schedule));

    public int ParameterDimension => prior.Dimension;

    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
    {
        SbiSharp.Internal.Check.Matrix(thetaT, ParameterDimension, nameof(thetaT), $"(flattened {prior.Height}×{prior.Width} fields)");
        using var scope = NewDisposeScope();
        var (alpha, sigma) = Schedule.Scales(logSnr.to(ScalarType.Float64));
        var a = alpha.unsqueeze(2);
        var p = _spectrum.unsqueeze(0);
        var multiplier = (a * p) / (a.Square() * p).Plus(sigma.Square().unsqueeze(2));
        return PeriodicGrid.Filter(thetaT, multiplier, prior.Height, prior.Width).MoveToOuterDisposeScope();
    }
}
