using SbiSharp.Denoising;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>The improved consistency-training loss of <see cref="ConsistencyTrainingSpec"/> for a <see cref="ConditionalNetwork"/>.</summary>
public sealed class ConsistencyTrainingObjective : IProgressiveObjective
{
    private readonly ConsistencyTrainingSpec _spec;
    private readonly INoiseSchedule _schedule;
    private readonly ConsistencyParameterization _boundary;
    private readonly Dictionary<int, ConsistencyDiscretization> _grids = new();
    private long? _step;
    private long _total = 1;

    /// <summary>Creates the objective.</summary>
    /// <param name="spec">Curriculum and noise-level settings.</param>
    /// <param name="schedule">The schedule whose λ range bounds the grid.</param>
    /// <param name="boundary">The boundary parameterization of the network's output.</param>
    public ConsistencyTrainingObjective(ConsistencyTrainingSpec spec, INoiseSchedule schedule, ConsistencyParameterization boundary)
    {
        _spec = (ConsistencyTrainingSpec)(spec ?? throw new ArgumentNullException(nameof(spec))).Validate();
        _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        _boundary = boundary ?? throw new ArgumentNullException(nameof(boundary));
    }

    /// <summary>The grid's intervals at the current step (the final number for validation).</summary>
    public int Intervals => _step is { } k
        ? ConsistencyDiscretization.Curriculum(k, _spec.InitialDiscretization, _spec.FinalDiscretization, _spec.CurriculumSteps ?? _total)
        : _spec.FinalDiscretization;

    /// <inheritdoc />
    public void SetStep(long? step, long totalSteps) => (_step, _total) = (step, Math.Max(1, totalSteps));

    /// <inheritdoc />
    public bool SelectsByValidation => false;

    /// <inheritdoc />
    public Tensor Loss(nn.Module network, Tensor theta, Tensor x, Generator? generator)
    {
        var conditional = network as ConditionalNetwork
            ?? throw new ArgumentException($"Consistency training trains a {nameof(ConditionalNetwork)}; got a {network?.GetType().Name ?? "null"}.", nameof(network));
        var n = Intervals;
        if (!_grids.TryGetValue(n, out var grid)) _grids[n] = grid = new ConsistencyDiscretization(_schedule, n, _spec.MeanLogSigma, _spec.SdLogSigma);
        using var scope = NewDisposeScope();
        var f = new NetworkDenoiser(conditional, _schedule, _boundary);
        var (lower, upper) = grid.Draw(theta.shape[0], generator, theta.dtype, theta.device);
        var z = randn(theta.shape, dtype: theta.dtype, device: theta.device, generator: generator);
        var student = f.Denoise(Noised(_schedule, theta, z, upper, out var upperLogSnr), upperLogSnr, x);
        Tensor target;
        using (no_grad()) target = f.Denoise(Noised(_schedule, theta, z, lower, out var lowerLogSnr), lowerLogSnr, x);
        var c = _spec.HuberScale * Math.Sqrt(theta.shape[1]);
        return ConsistencyDistance(student, target, lower, upper, c).MoveToOuterDisposeScope();
    }

    /// <summary>θ_t = α θ + σ z at the variance-exploding level <paramref name="sigma"/> (B, 1), with its log-SNR λ = −2 ln σ.</summary>
    internal static Tensor Noised(INoiseSchedule schedule, Tensor theta, Tensor z, Tensor sigma, out Tensor logSnr)
    {
        logSnr = sigma.log().Mul(-2.0);
        var (alpha, s) = schedule.Scales(logSnr);
        return (alpha * theta).Plus(s * z);
    }

    /// <summary>mean_b (√(‖a − b‖² + c²) − c)/(σ_{i+1} − σ_i): the iCT loss of a batch, a scalar.</summary>
    internal static Tensor ConsistencyDistance(Tensor student, Tensor target, Tensor lower, Tensor upper, double c)
    {
        using var scope = NewDisposeScope();
        var squared = (student - target).Square().sum(1, keepdim: true);
        var huber = squared.Add(c * c).sqrt().Sub(c);
        return (huber / (upper - lower)).mean().MoveToOuterDisposeScope();
    }
}
