using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Noise;

namespace SbiSharp.Training;

/// <summary>Checks shared by the consistency families: options that only a denoiser uses are refused instead of silently ignored.</summary>
internal static class ConsistencyFamily
{
    /// <summary>Throws when <paramref name="options"/> set condition dropout, an OT coupling or importance-sampled noise, which a consistency model does not use.</summary>
    public static void RefuseDenoiserOptions(DiffusionEstimatorOptions options, string family)
    {
        if (options.ConditionDropout > 0)
            throw new ArgumentException($"`{nameof(DiffusionEstimatorOptions.ConditionDropout)}` = {options.ConditionDropout} trains an unconditional mode for guidance; a {family} has no score to guide. Set it to 0.", nameof(options));
        if (options.Coupling is not null)
            throw new ArgumentException($"`{nameof(DiffusionEstimatorOptions.Coupling)}` pairs data and noise for flow matching; the {family} objective does not use it. Set it to null.", nameof(options));
        if (options.ImportanceSampledNoise)
            throw new ArgumentException($"`{nameof(DiffusionEstimatorOptions.ImportanceSampledNoise)}` reweights the denoising loss; the {family} objective draws its own noise levels. Set it to false.", nameof(options));
    }

    /// <summary>Throws unless the prediction is the consistency boundary parameterization with σ_min at the schedule's smallest noise level e^{−λ_max/2}.</summary>
    public static ConsistencyParameterization RequireBoundary(DiffusionEstimatorOptions options, string family)
    {
        var sigmaMin = Math.Exp(-options.Schedule.LogSnrMax / 2);
        if (options.Prediction is not ConsistencyParameterization boundary)
            throw new ArgumentException(
                $"A {family} needs `{nameof(DiffusionEstimatorOptions.Prediction)}` = {nameof(ConsistencyParameterization)} (σ_min = {sigmaMin:G4}, the schedule's smallest noise level), so that f(θ, σ_min) = θ; got '{options.Prediction.Name}'. Use the design '--method consistency'.",
                nameof(options));
        if (Math.Abs(boundary.SigmaMin - sigmaMin) > 1e-6 * sigmaMin)
            throw new ArgumentException(
                $"The consistency parameterization's σ_min = {boundary.SigmaMin:G6} must equal the schedule's smallest noise level e^(−λ_max/2) = {sigmaMin:G6}; otherwise f is not the identity where sampling ends.", nameof(options));
        return boundary;
    }

    /// <summary>Throws unless the schedule is variance preserving (α² + σ² = 1 along its range), as TrigFlow needs.</summary>
    public static void RequireVariancePreserving(INoiseSchedule schedule, string family)
    {
        foreach (var u in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
        {
            var (a, s) = schedule.Scales(schedule.LogSnr(u));
            if (Math.Abs(a * a + s * s - 1) > 1e-6)
                throw new ArgumentException(
                    $"A {family} (TrigFlow, α = cos t, σ = sin t) needs a variance-preserving schedule; '{Registration.Registries.Schedules.NameOf(schedule)}' has α² + σ² = {a * a + s * s:G6} at t = {u}. Use the EDM schedule in its variance-preserving form (the default).",
                    "options");
        }
    }
}
