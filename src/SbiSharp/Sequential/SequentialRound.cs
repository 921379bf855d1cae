using SbiSharp.Priors;
using SbiSharp.Training;

namespace SbiSharp.Sequential;

/// <summary>What one round of truncated sequential NPE did.</summary>
/// <param name="Round">1-based round.</param>
/// <param name="Simulations">Simulations drawn in this round.</param>
/// <param name="Region">The box its parameters were drawn from (the prior's support in round 1).</param>
/// <param name="PriorMass">Prior mass inside <paramref name="Region"/> (1 in round 1).</param>
/// <param name="Training">The training of this round's model on all simulations so far.</param>
public sealed record SequentialRound(int Round, long Simulations, Support Region, double PriorMass, TrainingResult Training);
