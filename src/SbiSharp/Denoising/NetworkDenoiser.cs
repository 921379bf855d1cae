using SbiSharp.Internal;
using SbiSharp.Networks;
using SbiSharp.Noise;
using static TorchSharp.torch;

namespace SbiSharp.Denoising;

/// <summary>A denoiser backed by a <see cref="ResidualMlp"/>, whose output a <see cref="Denoising.Parameterization"/> turns into the denoised mean.</summary>
/// <remarks>
/// The network sees c_in·θ_t with c_in = 1/√(α² + σ²), which has unit variance for standardized data under every variance
/// form (EDM's input scaling, Karras et al. 2022), and λ rescaled linearly from [λ_min, λ_max] to [−1, 1] as its time input.
/// </remarks>
public sealed class NetworkDenoiser : IDenoiser
{
    /// <summary>Wraps <paramref name="network"/>; does not own it.</summary>
    public NetworkDenoiser(ResidualMlp network, INoiseSchedule schedule, Parameterization parameterization)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        Parameterization = parameterization ?? throw new ArgumentNullException(nameof(parameterization));
    }

    /// <summary>The network.</summary>
    public ResidualMlp Network { get; }

    /// <inheritdoc />
    public INoiseSchedule Schedule { get; }

    /// <summary>Maps the network output to the denoised mean.</summary>
    public Parameterization Parameterization { get; }

    /// <inheritdoc />
    public int ParameterDimension => Network.ParameterDimension;

    /// <summary>The network's time input for <paramref name="logSnr"/>: λ scaled to [−1, 1].</summary>
    public Tensor TimeFeature(Tensor logSnr) =>
        2 * (logSnr - Schedule.LogSnrMin) / (Schedule.LogSnrMax - Schedule.LogSnrMin) - 1;

    /// <inheritdoc />
    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
    {
        Check.Matrix(thetaT, ParameterDimension, nameof(thetaT), "to match the model's parameter dimension");
        Check.Matrix(x, Network.ObservationDimension, nameof(x), "to match the model's observation dimension");
        using var scope = NewDisposeScope();
        var (alpha, sigma) = Schedule.Scales(logSnr);
        var input = thetaT / (alpha.square() + sigma.square()).sqrt();
        var raw = Network.forward(input, TimeFeature(logSnr), x);
        return Parameterization.ToDenoised(raw, thetaT, logSnr, alpha, sigma).MoveToOuterDisposeScope();
    }
}
