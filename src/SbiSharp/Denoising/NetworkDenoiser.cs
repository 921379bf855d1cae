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
        if (x.shape[0] != thetaT.shape[0] && x.shape[0] != 1)
            throw new ArgumentException($"`x` must have 1 row or as many rows as `thetaT` ({thetaT.shape[0]}); got {x.shape[0]}.", nameof(x));
        using var scope = NewDisposeScope();
        var (alpha, sigma) = Schedule.Scales(logSnr);
        var input = thetaT / (alpha.square() + sigma.square()).sqrt();
        // Sampling one observation: every row shares x and λ, so their parts of the network are computed once and broadcast.
        var rows = thetaT.shape[0];
        var time = TimeFeature(rows > 1 && AllRowsEqual(logSnr) ? logSnr.narrow(0, 0, 1) : logSnr);
        var condition = rows > 1 && x.shape[0] == rows && AllRowsEqual(x) ? x.narrow(0, 0, 1) : x;
        var raw = Network.forward(input, time, condition);
        return Parameterization.ToDenoised(raw, thetaT, logSnr, alpha, sigma).MoveToOuterDisposeScope();
    }

    private static bool AllRowsEqual(Tensor t) => t.eq(t.narrow(0, 0, 1)).all().item<bool>();
}
