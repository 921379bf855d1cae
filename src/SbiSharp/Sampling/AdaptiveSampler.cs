using SbiSharp.Denoising;
using SbiSharp.Internal;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>A sampler that chooses its own steps by error control; its cost (network evaluations) is known only after the run.</summary>
/// <remarks>A subclass implements <see cref="Integrate"/>: one dispose scope per attempted step, <see cref="ReportProgress"/> after each accepted one.</remarks>
public abstract class AdaptiveSampler : DiffusionSampler
{
    /// <summary>Checks and stores the time span.</summary>
    /// <param name="startTime">Start time in (0, 1].</param>
    /// <param name="stopTime">Stop time in [0, startTime).</param>
    protected AdaptiveSampler(double startTime, double stopTime) : base(startTime, stopTime)
    {
    }

    /// <inheritdoc />
    public sealed override bool IsAdaptive => true;

    /// <inheritdoc />
    public sealed override int? PlannedNetworkEvaluations => null;

    /// <inheritdoc />
    public sealed override int ProgressUnits => 1000;

    private protected sealed override (Tensor Theta, int Accepted, int Rejected) Integrate(IDenoiser denoiser, Tensor initial, Tensor x, Generator? generator, IProgress<int>? progress) =>
        IntegrateAdaptively(denoiser, initial, x, generator, progress);

    /// <summary>Integrates from the start time to the stop time with steps of its own choosing.</summary>
    /// <param name="denoiser">The denoiser (counted by the caller).</param>
    /// <param name="initial">θ at the start time; owned (disposed) by this method.</param>
    /// <param name="x">Condition, (B, Dx).</param>
    /// <param name="generator">Randomness of stochastic steps.</param>
    /// <param name="progress">Progress; report it with <see cref="ReportProgress"/>.</param>
    /// <returns>The final state (fresh, outside every dispose scope) and the accepted and rejected step counts.</returns>
    protected abstract (Tensor Theta, int Accepted, int Rejected) IntegrateAdaptively(IDenoiser denoiser, Tensor initial, Tensor x, Generator? generator, IProgress<int>? progress);

    /// <summary>Reports the share of the time span covered once time <paramref name="t"/> is reached, in units of <see cref="ProgressUnits"/>.</summary>
    protected void ReportProgress(IProgress<int>? progress, double t) =>
        progress?.Report((int)Math.Round(ProgressUnits * (StartTime - t) / (StartTime - StopTime)));
}
