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
            // The teacher sees θ_t in its own variance form: at one λ every schedule's θ_t/α is the same θ + σ ε.
            var (teacherAlpha, _) = _teacher.Schedule.Scales(upperLogSnr);
            var denoised = _teacher.Denoise(noisy / alphaUpper * teacherAlpha, upperLogSnr, x);
            var (alphaLower, _) = _schedule.Scales(lowerLogSnr);
            var exploding = noisy / alphaUpper;
            var stepped = denoised.Plus((lower / upper) * (exploding - denoised));
            target = f.Denoise(stepped * alphaLower, lowerLogSnr, x);
        }
        var c = _spec.HuberScale * Math.Sqrt(theta.shape[1]);
        return ConsistencyTrainingObjective.ConsistencyDistance(student, target, lower, upper, c).MoveToOuterDisposeScope();
    }
}
