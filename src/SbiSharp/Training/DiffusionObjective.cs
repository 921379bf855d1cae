namespace SbiSharp.Training;

/// <summary>The training objective of a diffusion estimator: loss space, weighting over noise levels and optional OT coupling.</summary>
internal sealed record DiffusionObjective(LossSpace Space, LossWeighting Weighting, OptimalTransportOptions? Coupling);
