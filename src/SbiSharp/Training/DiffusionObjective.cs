using SbiSharp.Denoising;

namespace SbiSharp.Training;

/// <summary>The training objective of a diffusion estimator: loss space (a parameterization), weighting over noise levels, optional OT coupling and condition dropout.</summary>
internal sealed record DiffusionObjective(Parameterization Loss, LossWeighting Weighting, OptimalTransportOptions? Coupling, double ConditionDropout = 0, NoiseLevelProposal? Proposal = null);
