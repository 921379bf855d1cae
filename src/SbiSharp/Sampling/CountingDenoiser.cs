using SbiSharp.Denoising;
using SbiSharp.Noise;
using static TorchSharp.torch;

namespace SbiSharp.Sampling;

/// <summary>Counts denoiser calls so every sampler reports its network evaluations.</summary>
internal sealed class CountingDenoiser(IDenoiser inner) : IDenoiser
{
    public int Calls { get; private set; }

    public INoiseSchedule Schedule => inner.Schedule;

    public int ParameterDimension => inner.ParameterDimension;

    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
    {
        Calls++;
        return inner.Denoise(thetaT, logSnr, x);
    }
}
