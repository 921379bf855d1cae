using SbiSharp.Denoising;
using SbiSharp.Networks;
using SbiSharp.Noise;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>Denoising score matching (and flow matching, which is the same loss on the rectified path) for a <see cref="ConditionalNetwork"/>: the diffusion family's <see cref="ITrainingObjective"/>.</summary>
/// <remarks>
/// The network, read through <see cref="NetworkDenoiser"/> with the given schedule and prediction target, is trained to
/// denoise θ_t = αθ + σε; the loss is w(λ)·c(λ)²·mean_d (D − θ)², c the loss parameterization's <see cref="Parameterization.LossScale"/>
/// (see <see cref="DiffusionLoss"/> for the stratified noise levels, the OT pairing and condition dropout).
/// </remarks>
public sealed class DenoisingObjective : ITrainingObjective, IDisposable
{
    private readonly NoiseLevelProposal? _proposal;
    private readonly bool _ownsProposal;

    /// <summary>Creates the objective.</summary>
    /// <param name="schedule">The noise schedule.</param>
    /// <param name="prediction">What the network predicts.</param>
    /// <param name="loss">The loss space: the parameterization whose target error is squared.</param>
    /// <param name="weighting">The weighting over noise levels.</param>
    /// <param name="coupling">Mini-batch optimal-transport pairing of data and noise; null: independent pairs.</param>
    /// <param name="conditionDropout">Probability of training a row without its observation, in [0, 1); positive needs a network with the presence-flag input (Dx + 1).</param>
    public DenoisingObjective(INoiseSchedule schedule, Parameterization prediction, Parameterization loss, LossWeighting weighting,
        OptimalTransportOptions? coupling = null, double conditionDropout = 0)
        : this(schedule, prediction, loss, weighting, coupling, conditionDropout, null, ownsProposal: false)
    {
    }

    internal DenoisingObjective(INoiseSchedule schedule, Parameterization prediction, Parameterization loss, LossWeighting weighting,
        OptimalTransportOptions? coupling, double conditionDropout, NoiseLevelProposal? proposal, bool ownsProposal)
    {
        _ownsProposal = ownsProposal;
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        Prediction = prediction ?? throw new ArgumentNullException(nameof(prediction));
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
        Weighting = weighting ?? throw new ArgumentNullException(nameof(weighting));
        Coupling = coupling?.Validate();
        if (!(conditionDropout >= 0 && conditionDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(conditionDropout), conditionDropout, $"`conditionDropout` must lie in [0, 1); got {conditionDropout}.");
        ConditionDropout = conditionDropout;
        _proposal = proposal;
    }

    /// <summary>The noise schedule.</summary>
    public INoiseSchedule Schedule { get; }

    /// <summary>What the network predicts.</summary>
    public Parameterization Prediction { get; }

    /// <summary>The loss space.</summary>
    public Parameterization Loss { get; }

    /// <summary>The weighting over noise levels.</summary>
    public LossWeighting Weighting { get; }

    /// <summary>OT pairing, or null.</summary>
    public OptimalTransportOptions? Coupling { get; }

    /// <summary>Condition-dropout probability.</summary>
    public double ConditionDropout { get; }

    internal NoiseLevelProposal? Proposal => _proposal;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="network"/> is not a <see cref="ConditionalNetwork"/>.</exception>
    Tensor ITrainingObjective.Loss(nn.Module network, Tensor theta, Tensor x, Generator? generator)
    {
        var conditional = network as ConditionalNetwork
            ?? throw new ArgumentException($"A denoising objective trains a {nameof(ConditionalNetwork)}; got a {network?.GetType().Name ?? "null"}.", nameof(network));
        var denoiser = new NetworkDenoiser(conditional, Schedule, Prediction, ConditionDropout > 0);
        return DiffusionLoss.Compute(denoiser, this, theta, x, generator);
    }

    /// <summary>Frees the importance-sampling tables when this objective made them.</summary>
    public void Dispose()
    {
        if (_ownsProposal) _proposal?.Dispose();
    }
}
