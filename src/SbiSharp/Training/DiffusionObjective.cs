namespace SbiSharp.Training;

/// <summary>The training objective of a diffusion estimator: loss space, weighting over noise levels, optional OT coupling and condition dropout.</summary>
internal sealed record DiffusionObjective(LossSpace Space, LossWeighting Weighting, OptimalTransportOptions? Coupling, double ConditionDropout = 0, NoiseLevelProposal? Proposal = null);
