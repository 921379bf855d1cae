using static TorchSharp.torch;

namespace SbiSharp.Estimators;

/// <summary>Posterior draws with the record of how they were made.</summary>
/// <param name="Samples">Draws (N_obs, n, Dθ) in original units, on the CPU; owned by this record.</param>
/// <param name="NetworkEvaluations">Denoiser (network) calls per integrated draw, counted in the run (for adaptive samplers, what their step control chose).</param>
/// <param name="AcceptanceRate">Share of integrated draws that lay inside the support (1 when nothing is rejected).</param>
/// <param name="Warnings">What the caller should know (a low acceptance rate); empty when all went well.</param>
public sealed record SamplingResult(Tensor Samples, double NetworkEvaluations, double AcceptanceRate, IReadOnlyList<string> Warnings) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Samples.Dispose();
}
