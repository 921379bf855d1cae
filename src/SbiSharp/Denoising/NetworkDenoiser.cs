using SbiSharp.Internal;
using SbiSharp.Networks;
using SbiSharp.Noise;
using static TorchSharp.torch;

namespace SbiSharp.Denoising;

/// <summary>A denoiser backed by a <see cref="ResidualMlp"/> with EDM preconditioning.</summary>
/// <remarks>The network's time input is λ rescaled linearly from [λ_min, λ_max] to [−1, 1].</remarks>
public sealed class NetworkDenoiser : IDenoiser
{
    /// <summary>Wraps <paramref name="network"/>; does not own it.</summary>
    public NetworkDenoiser(ResidualMlp network, INoiseSchedule schedule, EdmPreconditioning preconditioning)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        Preconditioning = preconditioning ?? throw new ArgumentNullException(nameof(preconditioning));
    }

    /// <summary>The network.</summary>
    public ResidualMlp Network { get; }

    /// <inheritdoc />
    public INoiseSchedule Schedule { get; }

    /// <summary>Maps the network output to the denoised mean.</summary>
    public EdmPreconditioning Preconditioning { get; }

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
        var (alpha, _) = Schedule.Scales(logSnr);
        var raw = Network.forward(thetaT, TimeFeature(logSnr), x);
        return Preconditioning.ToDenoised(raw, thetaT, logSnr, alpha).MoveToOuterDisposeScope();
    }
}
