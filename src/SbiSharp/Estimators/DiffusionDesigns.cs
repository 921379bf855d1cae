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
    /// <summary>Registers the built-in designs, the default first: the one place a design's name is spelled.</summary>
    internal static void RegisterBuiltIn(Registration.Registry<DiffusionDesign> r)
    {
        r.Register("edm-vp", () => new DiffusionDesign(o => Edm(o) with { Schedule = new EdmSchedule() }), "EDM schedule (variance preserving), F-prediction, EDM-weighted noise loss (the default)");
        r.Register("edm-ve", () => new DiffusionDesign(o => Edm(o) with { Schedule = new EdmSchedule(EdmScheduleOptions.Default with { Form = VarianceForm.Exploding }) }), "EDM schedule (variance exploding), F-prediction, EDM-weighted noise loss");
        r.Register("cosine-v", () => new DiffusionDesign(o => o with { Objective = DenoisingObjectiveSpec.Default, Schedule = new CosineSchedule(), Prediction = new VelocityParameterization(), Loss = new NoiseParameterization(), Weighting = new SigmoidWeighting(), Coupling = null }), "cosine schedule, v-prediction, sigmoid-weighted noise loss");
        r.Register("cosine-eps", () => new DiffusionDesign(o => o with { Objective = DenoisingObjectiveSpec.Default, Schedule = new CosineSchedule(), Prediction = new NoiseParameterization(), Loss = new NoiseParameterization(), Weighting = new SigmoidWeighting(), Coupling = null }), "cosine schedule, ε-prediction, sigmoid-weighted noise loss");
        r.Register("linear-vp-eps", () => new DiffusionDesign(o => o with { Objective = DenoisingObjectiveSpec.Default, Schedule = new LinearVPSchedule(), Prediction = new NoiseParameterization(), Loss = new NoiseParameterization(), Weighting = new UniformWeighting(), Coupling = null }), "linear VP schedule, ε-prediction, unweighted noise loss (Ho et al. 2020)");
        r.Register("flow-matching", () => new DiffusionDesign(Flow), "rectified path, flow velocity, unweighted velocity loss, uniform times");
        r.Register("flow-matching-a-0.6", () => new DiffusionDesign(o => Flow(o) with { Schedule = new RectifiedFlowSchedule(timePower: -0.6) }), "flow matching with power-law (a = −0.6) times");
        r.Register("flow-matching-ot", () => new DiffusionDesign(o => Flow(o) with { Coupling = OptimalTransportOptions.Default }), "flow matching with mini-batch OT pairing");
        r.Register("consistency", () => new DiffusionDesign(o => o with { Objective = ConsistencyTrainingSpec.Default, Schedule = new EdmSchedule(EdmScheduleOptions.Default with { SigmaMin = ConsistencyParameterization.DefaultSigmaMin }), Prediction = new ConsistencyParameterization(), Coupling = null }),
            "consistency training (iCT/CMPE): EDM schedule from σ_min = 0.002, boundary parameterization, sampled in a few jumps");
        r.Register("stable-consistency", () => new DiffusionDesign(o => o with { Objective = StableConsistencySpec.Default, Schedule = new EdmSchedule(), Prediction = new VelocityParameterization(), Coupling = null }),
            "stable continuous-time consistency model (sCM, TrigFlow): variance-preserving EDM schedule, v-prediction, sampled in a few jumps");
        r.Register("flow-matching-cot", () => new DiffusionDesign(o => Flow(o) with { Coupling = OptimalTransportOptions.Conditional }), "flow matching with conditional OT pairing");
    }

    /// <summary>Every name <see cref="Apply"/> accepts, the default first (those of <see cref="Registration.Registries.Designs"/>).</summary>
    public static IReadOnlyList<string> Names => Registration.Registries.Designs.Names;

    /// <summary>Returns <paramref name="options"/> with the schedule, prediction, loss, weighting and coupling of design <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static DiffusionEstimatorOptions Apply(DiffusionEstimatorOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(name);
        return Registration.Registries.Designs.Create(name).Apply(options);
    }

    private static DiffusionEstimatorOptions Edm(DiffusionEstimatorOptions o) =>
        o with { Objective = DenoisingObjectiveSpec.Default, Prediction = new EdmParameterization(), Loss = new NoiseParameterization(), Weighting = new EdmWeighting(), Coupling = null };

    private static DiffusionEstimatorOptions Flow(DiffusionEstimatorOptions o) =>
        o with { Objective = DenoisingObjectiveSpec.Default, Schedule = new RectifiedFlowSchedule(), Prediction = new FlowVelocityParameterization(), Loss = new FlowVelocityParameterization(), Weighting = new UniformWeighting(), Coupling = null };
}
