using SbiSharp.Denoising;
using SbiSharp.Noise;
using SbiSharp.Training;

namespace SbiSharp.Estimators;

/// <summary>The named schedule × prediction × loss combinations of the design-space study (Arruda et al. 2025), applied to estimator options.</summary>
/// <remarks>
/// edm-vp (default) and edm-ve: EDM schedule, F-prediction, noise loss with EDM weighting. cosine-v / cosine-eps: cosine
/// schedule, v- or ε-prediction, noise loss with sigmoid weighting (Kingma &amp; Gao 2023). linear-vp-eps: linear VP schedule,
/// ε-prediction, unweighted noise loss (Ho et al. 2020). flow-matching, flow-matching-a-0.6: rectified path, flow velocity,
/// unweighted velocity loss, uniform or power-law (a = −0.6) times. flow-matching-ot / flow-matching-cot: with mini-batch
/// OT or conditional OT pairing.
/// </remarks>
public static class DiffusionDesigns
{
    /// <summary>Each design as a change of the options, the default first; the one place a design's name is spelled.</summary>
    private static readonly (string Name, Func<DiffusionEstimatorOptions, DiffusionEstimatorOptions> Apply)[] Table =
    {
        ("edm-vp", o => Edm(o) with { Schedule = new EdmSchedule() }),
        ("edm-ve", o => Edm(o) with { Schedule = new EdmSchedule(EdmScheduleOptions.Default with { Form = VarianceForm.Exploding }) }),
        ("cosine-v", o => o with { Schedule = new CosineSchedule(), Prediction = new VelocityParameterization(), Loss = new NoiseParameterization(), Weighting = new SigmoidWeighting(), Coupling = null }),
        ("cosine-eps", o => o with { Schedule = new CosineSchedule(), Prediction = new NoiseParameterization(), Loss = new NoiseParameterization(), Weighting = new SigmoidWeighting(), Coupling = null }),
        ("linear-vp-eps", o => o with { Schedule = new LinearVPSchedule(), Prediction = new NoiseParameterization(), Loss = new NoiseParameterization(), Weighting = new UniformWeighting(), Coupling = null }),
        ("flow-matching", Flow),
        ("flow-matching-a-0.6", o => Flow(o) with { Schedule = new RectifiedFlowSchedule(timePower: -0.6) }),
        ("flow-matching-ot", o => Flow(o) with { Coupling = OptimalTransportOptions.Default }),
        ("flow-matching-cot", o => Flow(o) with { Coupling = OptimalTransportOptions.Conditional }),
    };

    /// <summary>Every name <see cref="Apply"/> accepts, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = Table.Select(d => d.Name).ToArray();

    /// <summary>Returns <paramref name="options"/> with the schedule, prediction, loss, weighting and coupling of design <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static DiffusionEstimatorOptions Apply(DiffusionEstimatorOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(name);
        foreach (var design in Table)
            if (string.Equals(design.Name, name, StringComparison.OrdinalIgnoreCase)) return design.Apply(options);
        throw new ArgumentException($"Unknown design '{name}'; valid: {string.Join(", ", Names)}.", nameof(name));
    }

    private static DiffusionEstimatorOptions Edm(DiffusionEstimatorOptions o) =>
        o with { Prediction = new EdmParameterization(), Loss = new NoiseParameterization(), Weighting = new EdmWeighting(), Coupling = null };

    private static DiffusionEstimatorOptions Flow(DiffusionEstimatorOptions o) =>
        o with { Schedule = new RectifiedFlowSchedule(), Prediction = new FlowVelocityParameterization(), Loss = new FlowVelocityParameterization(), Weighting = new UniformWeighting(), Coupling = null };
}
