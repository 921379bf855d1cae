using static TorchSharp.torch;

namespace SbiSharp.Sampling;

/// <summary>What one sampling run carries from step to step: the step index and, for multistep solvers, the previous denoised estimate.</summary>
/// <remarks>Owned by <see cref="DiffusionSampler.Sample"/>, one per run, so a sampler instance stays stateless and can be shared.</remarks>
public sealed class SamplerHistory : IDisposable
{
    internal SamplerHistory(int steps) => Steps = steps;

    /// <summary>Index of the current step, 0..Steps − 1.</summary>
    public int StepIndex { get; internal set; }

    /// <summary>Number of steps of the run.</summary>
    public int Steps { get; }

    /// <summary>True on the run's last step.</summary>
    public bool IsLastStep => StepIndex == Steps - 1;

    /// <summary>The denoised estimate of the previous step, (B, Dθ), or null on the first step.</summary>
    public Tensor? PreviousDenoised { get; private set; }

    /// <summary>The previous step's size in the solver's own variable (e.g. half log-SNR), or NaN on the first step.</summary>
    public double PreviousStepSize { get; private set; } = double.NaN;

    /// <summary>Keeps a copy of <paramref name="denoised"/> (outside every dispose scope) and the step size for the next step.</summary>
    public void Remember(Tensor denoised, double stepSize)
    {
        ArgumentNullException.ThrowIfNull(denoised);
        PreviousDenoised?.Dispose();
        var kept = denoised.detach().clone();
        kept.DetachFromDisposeScope();
        PreviousDenoised = kept;
        PreviousStepSize = stepSize;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        PreviousDenoised?.Dispose();
        PreviousDenoised = null;
    }
}
