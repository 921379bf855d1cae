using static TorchSharp.torch;

namespace SbiSharp.Sampling;

/// <summary>The outcome of one sampler run: the final state and what it cost.</summary>
/// <param name="Theta">θ at the sampler's stop time, (B, Dθ); the caller owns it.</param>
/// <param name="NetworkEvaluations">Denoiser calls per row (each call evaluates the whole batch once).</param>
/// <param name="AcceptedSteps">Steps taken.</param>
/// <param name="RejectedSteps">Steps rejected by an adaptive error control (0 for fixed grids).</param>
public sealed record SamplingRun(Tensor Theta, int NetworkEvaluations, int AcceptedSteps, int RejectedSteps);
