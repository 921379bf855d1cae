using SbiSharp.Denoising;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>The consistency-distillation loss of <see cref="ConsistencyDistillationSpec"/>: the teacher's one-step ODE move sets the student's target.</summary>
public sealed class ConsistencyDistillationObjective : ITrainingObjective
{
    private readonly ConsistencyDistillationSpec _spec;
    private readonly IDenoiser _teacher;
    private readonly INoiseSchedule _schedule;
    private readonly ConsistencyParameterization _boundary;
    private readonly ConsistencyDiscretization _grid;

    /// <summary>Creates the objective.</summary>
    /// <param name="spec">Grid and distance settings.</param>
    /// <param name="teacher">The teacher's denoiser, in the student's standardized units (any schedule: it is called at the same λ, with θ_t rescaled to its α).</param>
    /// <param name="schedule">The student's schedule.</param>
    /// <param name="boundary">The student's boundary parameterization.</param>
    public ConsistencyDistillationObjective(ConsistencyDistillationSpec spec, IDenoiser teacher, INoiseSchedule schedule, ConsistencyParameterization boundary)
    {
        _spec = (ConsistencyDistillationSpec)(spec ?? throw new ArgumentNullException(nameof(spec))).Validate();
        _teacher = teacher ?? throw new ArgumentNullException(nameof(teacher));
        _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        _boundary = boundary ?? throw new ArgumentNullException(nameof(boundary));
        _grid = new ConsistencyDiscretization(schedule, _spec.Intervals, _spec.MeanLogSigma, _spec.SdLogSigma);
    }

    /// <inheritdoc />
    public bool SelectsByValidation => false;

    /// <inheritdoc />
    public Tensor Loss(nn.Module network, Tensor theta, Tensor x, Generator? generator)
    {
        var conditional = network as ConditionalNetwork
            ?? throw new ArgumentException($"Consistency distillation trains a {nameof(ConditionalNetwork)}; got a {network?.GetType().Name ?? "null"}.", nameof(network));
        using var scope = NewDisposeScope();
        var f = new NetworkDenoiser(conditional, _schedule, _boundary);
        var (lower, upper) = _grid.Draw(theta.shape[0], generator, theta.dtype, theta.device);
        var z = randn(theta.shape, dtype: theta.dtype, device: theta.device, generator: generator);
        var noisy = ConsistencyTrainingObjective.Noised(_schedule, theta, z, upper, out var upperLogSnr);
        var (alphaUpper, _) = _schedule.Scales(upperLogSnr);
        var lowerLogSnr = lower.log().Mul(-2.0);
        var student = f.Denoise(noisy, upperLogSnr, x);
        Tensor target;
        using (no_grad())
        {
            var (alphaLower, _) = _schedule.Scales(lowerLogSnr);
            var stepped = TeacherMove(noisy / alphaUpper, upper, upperLogSnr, lower, lowerLogSnr, x);
            target = f.Denoise(stepped * alphaLower, lowerLogSnr, x);
        }
        var c = _spec.HuberScale * Math.Sqrt(theta.shape[1]);
        return ConsistencyTrainingObjective.ConsistencyDistance(student, target, lower, upper, c).MoveToOuterDisposeScope();
    }

    /// <summary>The teacher's ODE step in variance-exploding units (θ + σ ε) from σ_{i+1} = <paramref name="upper"/> to σ_i = <paramref name="lower"/>, both (B, 1).</summary>
    private Tensor TeacherMove(Tensor exploding, Tensor upper, Tensor upperLogSnr, Tensor lower, Tensor lowerLogSnr, Tensor x)
    {
        // dθ/dσ = (θ − D(θ, σ))/σ; the Euler step of it is DDIM's θ̂ = D + (σ_i/σ_{i+1})(θ − D).
        var slope = (exploding - Teacher(exploding, upperLogSnr, x)) / upper;
        var step = lower - upper;
        var euler = exploding.Plus(step * slope);
        if (_spec.TeacherStep == TeacherStep.Ddim) return euler;
        var slopeLower = (euler - Teacher(euler, lowerLogSnr, x)) / lower;
        return exploding.Plus((step * slope.Plus(slopeLower)).Mul(0.5));
    }

    /// <summary>The teacher's denoised mean at a variance-exploding θ + σ ε: at one λ every schedule's θ_t/α is the same, so the teacher sees it scaled by its own α.</summary>
    private Tensor Teacher(Tensor exploding, Tensor logSnr, Tensor x)
    {
        var (teacherAlpha, _) = _teacher.Schedule.Scales(logSnr);
        return _teacher.Denoise(exploding * teacherAlpha, logSnr, x);
    }
}
