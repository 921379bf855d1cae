using SbiSharp.Denoising;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>The continuous-time consistency loss of <see cref="StableConsistencySpec"/> on the TrigFlow path (σ_d = 1, standardized θ).</summary>
public sealed class StableConsistencyObjective : IProgressiveObjective
{
    private readonly StableConsistencySpec _spec;
    private readonly INoiseSchedule _schedule;
    private long? _step;
    private long _total = 1;

    /// <summary>Creates the objective for a variance-preserving <paramref name="schedule"/>.</summary>
    public StableConsistencyObjective(StableConsistencySpec spec, INoiseSchedule schedule)
    {
        _spec = (StableConsistencySpec)(spec ?? throw new ArgumentNullException(nameof(spec))).Validate();
        _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
    }

    /// <summary>The tangent warm-up factor r ∈ [0, 1] at the current step (1 for validation).</summary>
    public double WarmupFactor => _step is { } k && _spec.WarmupSteps > 0 ? Math.Min(1.0, (double)k / _spec.WarmupSteps) : 1.0;

    /// <inheritdoc />
    public void SetStep(long? step, long totalSteps) => (_step, _total) = (step, Math.Max(1, totalSteps));

    /// <inheritdoc />
    public bool SelectsByValidation => false;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="network"/> is not an <see cref="AdaptiveWeightNetwork"/>.</exception>
    public Tensor Loss(nn.Module network, Tensor theta, Tensor x, Generator? generator)
    {
        var weighted = network as AdaptiveWeightNetwork
            ?? throw new ArgumentException($"The stable consistency objective trains an {nameof(AdaptiveWeightNetwork)} (the estimator wraps its network in one); got a {network?.GetType().Name ?? "null"}.", nameof(network));
        using var scope = NewDisposeScope();
        long rows = theta.shape[0];
        var timeOf = new NetworkDenoiser(weighted, _schedule, new VelocityParameterization());
        // tan t = e^τ (σ_d = 1), so λ = −2 ln tan t = −2τ; kept inside the schedule's range.
        var tau = randn(new[] { rows, 1L }, dtype: theta.dtype, device: theta.device, generator: generator).Mul(_spec.SdLogTime).Add(_spec.MeanLogTime);
        var logSnr = tau.Mul(-2.0).Clamp(_schedule.LogSnrMin, _schedule.LogSnrMax);
        var (cos, sin) = _schedule.Scales(logSnr);
        var z = randn(theta.shape, dtype: theta.dtype, device: theta.device, generator: generator);
        var thetaT = (cos * theta).Plus(sin * z);
        var velocity = (cos * z) - (sin * theta);
        // cos t sin t · dF/dt along (dθ_t/dt, 1): in (θ_t, λ) coordinates the direction is (cos t sin t dθ_t/dt, −2), since dλ/dt = −2/(cos t sin t).
        var direction = cos * sin * velocity;
        var wasTraining = weighted.training;
        weighted.eval();
        Tensor target, derivative;
        try
        {
            (target, derivative) = _spec.Tangent == TangentMethod.FiniteDifference
                ? FiniteDifference(weighted, timeOf, thetaT, logSnr, direction, x)
                : DoubleBackward(weighted, timeOf, thetaT, logSnr, direction, x);
        }
        finally
        {
            if (wasTraining) weighted.train();
        }
        var r = WarmupFactor;
        var g = (cos.Square() * (target - velocity)).neg() - (cos * sin * thetaT).Plus(derivative).Mul(r);
        g = g / g.Square().sum(1, keepdim: true).sqrt().Add(_spec.TangentNormalization);
        var student = weighted.forward(thetaT, timeOf.TimeFeature(logSnr), x);
        var w = weighted.LogWeight(timeOf.TimeFeature(logSnr));
        var perRow = w.exp() * (student - target - g).Square().mean(new long[] { 1 }, keepdim: true) - w;
        return perRow.mean().MoveToOuterDisposeScope();
    }

    /// <summary>F(θ_t) and the directional derivative by a central difference, without gradients.</summary>
    private (Tensor Output, Tensor Derivative) FiniteDifference(AdaptiveWeightNetwork network, NetworkDenoiser timeOf, Tensor thetaT, Tensor logSnr, Tensor direction, Tensor x)
    {
        using var noGrad = no_grad();
        var h = _spec.FiniteDifferenceStep;
        var output = network.forward(thetaT, timeOf.TimeFeature(logSnr), x);
        var plus = network.forward(thetaT.Plus(direction, h), timeOf.TimeFeature(logSnr.Add(-2 * h)), x);
        var minus = network.forward(thetaT.Plus(direction, -h), timeOf.TimeFeature(logSnr.Add(2 * h)), x);
        return (output, (plus - minus).Div(2 * h));
    }

    /// <summary>F(θ_t) and J·v by two reverse passes: u ↦ uᵀJ is linear in u, and its gradient with respect to u along v is J·v.</summary>
    private static (Tensor Output, Tensor Derivative) DoubleBackward(AdaptiveWeightNetwork network, NetworkDenoiser timeOf, Tensor thetaT, Tensor logSnr, Tensor direction, Tensor x)
    {
        using var grad = enable_grad();
        var input = thetaT.detach().requires_grad_(true);
        var lambda = logSnr.detach().requires_grad_(true);
        var output = network.forward(input, timeOf.TimeFeature(lambda), x);
        var u = zeros_like(output).requires_grad_(true);
        var vjp = autograd.grad(new[] { output }, new[] { input, lambda }, new[] { u }, retain_graph: true, create_graph: true);
        var contracted = (vjp[0] * direction).sum().Plus(vjp[1].sum().Mul(-2.0));
        var jvp = autograd.grad(new[] { contracted }, new[] { u })[0];
        return (output.detach(), jvp.detach());
    }
}
