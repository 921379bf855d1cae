using SbiSharp.Internal;
using SbiSharp.Networks;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>A denoiser backed by a <see cref="ConditionalNetwork"/>, whose output a <see cref="Denoising.Parameterization"/> turns into the denoised mean.</summary>
/// <remarks>
/// The network sees c_in·θ_t with c_in = 1/√(α² + σ²), which has unit variance for standardized data under every variance
/// form (EDM's input scaling, Karras et al. 2022), and λ rescaled linearly from [λ_min, λ_max] to [−1, 1] as its time input.
/// </remarks>
public sealed class NetworkDenoiser : IDenoiser
{
    /// <summary>Wraps <paramref name="network"/>; does not own it.</summary>
    /// <param name="network">The network.</param>
    /// <param name="schedule">The noise schedule it was trained with.</param>
    /// <param name="parameterization">What it predicts.</param>
    /// <param name="hasPresenceFlag">Whether the network's last observation input is the "observation present" flag (trained with condition dropout).</param>
    public NetworkDenoiser(ConditionalNetwork network, INoiseSchedule schedule, Parameterization parameterization, bool hasPresenceFlag = false)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        Parameterization = parameterization ?? throw new ArgumentNullException(nameof(parameterization));
        HasPresenceFlag = hasPresenceFlag;
        if (hasPresenceFlag && network.ObservationDimension < 2)
            throw new ArgumentException($"A network with a presence flag needs at least 2 observation inputs (Dx + 1); got {network.ObservationDimension}.", nameof(network));
    }

    /// <summary>Whether the network also learned the unconditional denoiser (condition dropout); see <see cref="Unconditional"/>.</summary>
    public bool HasPresenceFlag { get; }

    /// <summary>Dx, the observation dimension (without the presence flag).</summary>
    public int ObservationDimension => Network.ObservationDimension - (HasPresenceFlag ? 1 : 0);

    /// <summary>The unconditional denoiser E[θ | θ_t] of the same network (its "no observation" mode); it ignores x.</summary>
    /// <exception cref="InvalidOperationException">The network was trained without condition dropout.</exception>
    public IDenoiser Unconditional => HasPresenceFlag
        ? new UnconditionalNetworkDenoiser(this)
        : throw new InvalidOperationException("The model was trained without condition dropout (`ConditionDropout` = 0), so it has no unconditional denoiser; train with `ConditionDropout` > 0 (e.g. 0.1), or give an analytic prior.");

    /// <summary>The network.</summary>
    public ConditionalNetwork Network { get; }

    /// <inheritdoc />
    public INoiseSchedule Schedule { get; }

    /// <summary>Maps the network output to the denoised mean.</summary>
    public Parameterization Parameterization { get; }

    /// <inheritdoc />
    public int ParameterDimension => Network.ParameterDimension;

    /// <summary>The network's time input for <paramref name="logSnr"/>: λ scaled to [−1, 1].</summary>
    public Tensor TimeFeature(Tensor logSnr) =>
        (logSnr.Sub(Schedule.LogSnrMin)).Mul(2).Div((Schedule.LogSnrMax - Schedule.LogSnrMin)).Sub(1);

    /// <inheritdoc />
    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x) => Denoise(thetaT, logSnr, x, null);

    /// <summary>Denoises with a per-row "observation present" flag (B, 1) of 0/1 (null: all present); flagged-off rows see x = 0.</summary>
    internal Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x, Tensor? present)
    {
        Check.Matrix(thetaT, ParameterDimension, nameof(thetaT), "to match the model's parameter dimension");
        Check.Matrix(x, ObservationDimension, nameof(x), "to match the model's observation dimension");
        if (x.shape[0] != thetaT.shape[0] && x.shape[0] != 1)
            throw new ArgumentException($"`x` must have 1 row or as many rows as `thetaT` ({thetaT.shape[0]}); got {x.shape[0]}.", nameof(x));
        using var scope = NewDisposeScope();
        if (HasPresenceFlag)
        {
            var flag = present ?? ones(new[] { x.shape[0], 1L }, dtype: x.dtype, device: x.device);
            x = cat(new[] { x * flag, flag }, 1);
        }
        var (alpha, sigma) = Schedule.Scales(logSnr);
        var input = thetaT / (alpha.Square().Plus(sigma.Square())).sqrt();
        // Sampling one observation: every row shares x and λ, so their parts of the network are computed once and broadcast.
        var rows = thetaT.shape[0];
        var shared = Network.BroadcastsSharedInputs;
        var time = TimeFeature(shared && rows > 1 && AllRowsEqual(logSnr) ? logSnr.narrow(0, 0, 1) : logSnr);
        var condition = shared && rows > 1 && x.shape[0] == rows && AllRowsEqual(x) ? x.narrow(0, 0, 1)
            : !shared && x.shape[0] == 1 && rows > 1 ? x.expand(rows, -1) : x;
        var raw = Network.forward(input, time, condition);
        return Parameterization.ToDenoised(raw, thetaT, logSnr, alpha, sigma).MoveToOuterDisposeScope();
    }

    /// <summary>The network's "no observation" mode as a denoiser.</summary>
    private sealed class UnconditionalNetworkDenoiser(NetworkDenoiser network) : IDenoiser
    {
        public INoiseSchedule Schedule => network.Schedule;

        public int ParameterDimension => network.ParameterDimension;

        public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
        {
            using var scope = NewDisposeScope();
            var absent = zeros(new[] { 1L, (long)network.ObservationDimension }, dtype: thetaT.dtype, device: thetaT.device);
            var flag = zeros(new[] { 1L, 1L }, dtype: thetaT.dtype, device: thetaT.device);
            return network.Denoise(thetaT, logSnr, absent, flag).MoveToOuterDisposeScope();
        }
    }

    private static bool AllRowsEqual(Tensor t) => t.eq(t.narrow(0, 0, 1)).all().item<bool>();
}
