using SbiSharp.Denoising;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Sampling;
using SbiSharp.Training;

namespace SbiSharp.Registration;

/// <summary>The library's registries, one per concept, with the built-in types registered (the default first). A user's type registered
/// here is saved and loaded in model files and offered by the command line.</summary>
public static class Registries
{
    /// <summary>Noise schedules (model files: "schedule").</summary>
    public static Registry<INoiseSchedule> Schedules { get; } = CreateSchedules();

    /// <summary>Prediction targets of the network (model files: "prediction").</summary>
    public static Registry<Parameterization> Parameterizations { get; } = CreateParameterizations();

    /// <summary>Loss weightings over noise levels (model files: "weighting").</summary>
    public static Registry<LossWeighting> Weightings { get; } = CreateWeightings();

    /// <summary>Samplers (the command line's --sampler; samplers are not stored in model files). Arguments: steps, relative tolerance.</summary>
    public static Registry<DiffusionSampler> Samplers { get; } = CreateSamplers();

    /// <summary>Conditional networks (model files: "network").</summary>
    public static Registry<NetworkSpec> Networks { get; } = CreateNetworks();

    /// <summary>Diffusion designs (the command line's --method; not stored: a design is a change of the options, which are).</summary>
    public static Registry<Estimators.DiffusionDesign> Designs { get; } = CreateDesigns();

    /// <summary>Inference-time guidance (the command line's sample --guidance NAME:ARGUMENT; not stored). Arguments: the text after the colon, Dθ.</summary>
    public static Registry<Guidance.DenoiserGuidance> Guidance { get; } = CreateGuidance();

    /// <summary>Training objectives, one per model family (model files: "objective").</summary>
    public static Registry<ObjectiveSpec> Objectives { get; } = CreateObjectives();

    /// <summary>Observation embeddings, the summary networks of x (model files: "embedding").</summary>
    public static Registry<EmbeddingSpec> Embeddings { get; } = CreateEmbeddings();

    /// <summary>Zero-shot posterior methods of the states half (the command line's posterior --method; not stored). Arguments: steps = MMPS's CG iterations,
    /// relative tolerance = MMPS's CG tolerance, the text argument = DPS's step size.</summary>
    public static Registry<States.ZeroShotMethod> ZeroShotMethods { get; } = CreateZeroShotMethods();

    private static Registry<States.ZeroShotMethod> CreateZeroShotMethods()
    {
        var r = new Registry<States.ZeroShotMethod>("zero-shot method", "method");
        r.Register("mmps", a => new States.MmpsMethod { CgIterations = a.Steps ?? States.MmpsDenoiser.DefaultCgIterations, CgTolerance = a.RelativeTolerance ?? 0 },
            $"moment-matching posterior sampling, Tweedie covariance by CG (Rozet et al. 2024; {States.MmpsDenoiser.DefaultCgIterations} iterations; the default)");
        r.Register("dps", a => new States.DpsMethod { StepSize = a.Argument is null ? States.DpsMethod.DefaultStepSize : Internal.Check.ParseDouble(a.Argument, "step size") },
            $"diffusion posterior sampling, no covariance (Chung et al. 2023; step size {States.DpsMethod.DefaultStepSize})");
        r.Register("pigdm", () => new States.PigdmMethod(), "pseudoinverse-guided diffusion, isotropic covariance (Song et al. 2023): exact for a white prior, diverges on strongly correlated fields (docs/zero-shot.md)");
        return r;
    }

    private static Registry<INoiseSchedule> CreateSchedules()
    {
        var r = new Registry<INoiseSchedule>("schedule", "schedule");
        r.Register("edm", () => new EdmSchedule(), "EDM (Karras et al. 2022), variance preserving by default");
        r.Register("cosine", () => new CosineSchedule(), "cosine (Nichol & Dhariwal 2021)");
        r.Register("linear-vp", () => new LinearVPSchedule(), "linear β variance-preserving (Ho et al. 2020)");
        r.Register("geometric-ve", () => new GeometricVESchedule(), "geometric variance-exploding (Song et al. 2021)");
        r.Register("rectified-flow", () => new RectifiedFlowSchedule(), "rectified flow / flow matching path (Lipman et al. 2023)");
        return r;
    }

    private static Registry<Parameterization> CreateParameterizations()
    {
        var r = new Registry<Parameterization>("parameterization", "prediction");
        r.Register("F", () => new EdmParameterization(), "EDM preconditioned F-prediction");
        r.Register("noise", () => new NoiseParameterization(), "ε-prediction");
        r.Register("velocity", () => new VelocityParameterization(), "v-prediction");
        r.Register("data", () => new DataParameterization(), "x₀ (clean θ) prediction");
        r.Register("score", () => new ScoreParameterization(), "score prediction");
        r.Register("flow-velocity", () => new FlowVelocityParameterization(), "flow-matching velocity");
        r.Register("consistency-F", () => new ConsistencyParameterization(), "consistency-model boundary parameterization (f = θ at σ_min)");
        return r;
    }

    private static Registry<LossWeighting> CreateWeightings()
    {
        var r = new Registry<LossWeighting>("weighting", "weighting");
        r.Register("edm", () => new EdmWeighting(), "EDM weighting (Karras et al. 2022)");
        r.Register("none", () => new UniformWeighting(), "unweighted");
        r.Register("sigmoid", () => new SigmoidWeighting(), "sigmoid of the log-SNR (Kingma & Gao 2023)");
        r.Register("likelihood", () => new LikelihoodWeighting(), "likelihood (ELBO) weighting");
        return r;
    }

    private static Registry<DiffusionSampler> CreateSamplers()
    {
        var r = new Registry<DiffusionSampler>("sampler", "sampler");
        static double Stop(CreationArguments a) => a.StopTime ?? 0;
        AdaptiveStepOptions Ode(CreationArguments a) => a.RelativeTolerance is { } rtol ? AdaptiveStepOptions.Default with { RelativeTolerance = rtol } : AdaptiveStepOptions.Default;
        r.Register("dpm-solver++", a => new DpmSolverPlusPlusSampler(a.Steps ?? DpmSolverPlusPlusSampler.DefaultSteps, stopTime: Stop(a)), $"DPM-Solver++(2M), exponential integrator of the probability-flow ODE, the default ({DpmSolverPlusPlusSampler.DefaultSteps})");
        r.Register("heun", a => new HeunSampler(a.Steps ?? HeunSampler.DefaultSteps, stopTime: Stop(a)), $"Heun's 2nd-order probability-flow ODE solver ({HeunSampler.DefaultSteps} steps)");
        r.Register("euler", a => new EulerSampler(a.Steps ?? EulerSampler.DefaultSteps, stopTime: Stop(a)), $"Euler ODE steps ({EulerSampler.DefaultSteps})");
        r.Register("euler-maruyama", a => new EulerMaruyamaSampler(a.Steps ?? EulerMaruyamaSampler.DefaultSteps, stopTime: Stop(a)), $"Euler–Maruyama reverse SDE ({EulerMaruyamaSampler.DefaultSteps})");
        r.Register("rk45", a => new DormandPrinceSampler(a.Steps ?? DormandPrinceSampler.DefaultSteps, stopTime: Stop(a)), $"Dormand–Prince 5(4), fixed grid ({DormandPrinceSampler.DefaultSteps})");
        r.Register("tsit5", a => new Tsit5Sampler(a.Steps ?? Tsit5Sampler.DefaultSteps, stopTime: Stop(a)), $"Tsitouras 5(4), fixed grid ({Tsit5Sampler.DefaultSteps})");
        r.Register("rk45-adaptive", a => AdaptiveRungeKuttaSampler.DormandPrince(Ode(a), a.Steps ?? DormandPrinceSampler.DefaultSteps, stopTime: Stop(a)), $"Dormand–Prince with error control (rtol {AdaptiveStepOptions.Default.RelativeTolerance})");
        r.Register("tsit5-adaptive", a => AdaptiveRungeKuttaSampler.Tsitouras(Ode(a), a.Steps ?? Tsit5Sampler.DefaultSteps, stopTime: Stop(a)), $"Tsitouras with error control (rtol {AdaptiveStepOptions.Default.RelativeTolerance})");
        r.Register("sde-adaptive", a => new AdaptiveSdeSampler(a.RelativeTolerance is { } rtol ? AdaptiveSdeOptions.Default with { RelativeTolerance = rtol } : AdaptiveSdeOptions.Default, stopTime: Stop(a)),
            $"adaptive reverse SDE (Jolicoeur-Martineau et al. 2021; rtol {AdaptiveSdeOptions.Default.RelativeTolerance})");
        r.Register("langevin-pc", a => new LangevinCorrectorSampler(a.Steps ?? LangevinCorrectorSampler.DefaultSteps, stopTime: Stop(a)), $"predictor–corrector with Langevin steps ({LangevinCorrectorSampler.DefaultSteps})");
        r.Register("ancestral", a => new AncestralSampler(a.Steps ?? AncestralSampler.DefaultSteps, stopTime: Stop(a)), $"ancestral (DDPM) sampling ({AncestralSampler.DefaultSteps})");
        r.Register("consistency", a => new ConsistencySampler(a.Steps ?? ConsistencySampler.DefaultSteps, stopTime: Stop(a)), $"multistep consistency sampling, the sampler of consistency models ({ConsistencySampler.DefaultSteps})");
        return r;
    }

    private static Registry<NetworkSpec> CreateNetworks()
    {
        var r = new Registry<NetworkSpec>("network", "network");
        r.Register("residual-mlp", () => NetworkOptions.Default, "residual MLP with FiLM noise-level conditioning (the default)");
        r.Register("unet", () => UNetSpec.Default, "U-Net over fields (C, H, W) or signals (C, L): GroupNorm, SiLU, FiLM, optional attention (states priors)");
        return r;
    }

    private static Registry<EmbeddingSpec> CreateEmbeddings()
    {
        var r = new Registry<EmbeddingSpec>("embedding", "embedding");
        r.Register("identity", () => IdentityEmbeddingSpec.Default, "none: the network sees x itself (the default)");
        return r;
    }

    private static Registry<Estimators.DiffusionDesign> CreateDesigns()
    {
        var r = new Registry<Estimators.DiffusionDesign>("design", "design");
        Estimators.DiffusionDesigns.RegisterBuiltIn(r);
        return r;
    }

    private static Registry<Guidance.DenoiserGuidance> CreateGuidance()
    {
        var r = new Registry<Guidance.DenoiserGuidance>("guidance", "guidance");
        r.Register("fix", a => SbiSharp.Guidance.GuidanceArguments.Fix(a), "fix parameters and sample the rest (inpainting): fix:INDEX=VALUE,… (1-based)");
        r.Register("bound", a => SbiSharp.Guidance.GuidanceArguments.Bound(a), "steer draws to θ_INDEX ≥ or ≤ a value (constraint guidance): bound:INDEX>=VALUE,INDEX<=VALUE,… (1-based, original units)");
        r.Register("classifier-free", a => SbiSharp.Guidance.GuidanceArguments.ClassifierFree(a), "sharpen (w > 0) or flatten (−1 ≤ w < 0) the likelihood: classifier-free:W (needs train --condition-dropout)");
        return r;
    }

    private static Registry<ObjectiveSpec> CreateObjectives()
    {
        var r = new Registry<ObjectiveSpec>("objective", "objective");
        r.Register("denoising", () => DenoisingObjectiveSpec.Default, "denoising score matching / flow matching (the diffusion family; the default)");
        r.Register("consistency", () => ConsistencyTrainingSpec.Default, "improved consistency training (Song & Dhariwal 2023; CMPE)");
        r.Register("stable-consistency", () => StableConsistencySpec.Default, "stable continuous-time consistency model, sCM (Lu & Song 2024)");
        r.Register("consistency-distillation", () => new ConsistencyDistillationSpec(), "consistency distillation of a trained diffusion model (Song et al. 2023; sbisharp distill)");
        return r;
    }
}
