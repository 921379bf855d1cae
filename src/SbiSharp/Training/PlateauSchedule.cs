namespace SbiSharp.Training;

/// <summary>Learning rate for training to convergence: a linear warm-up to the peak, then the rate is multiplied by a factor whenever
/// the validation loss has not improved for a number of epochs (PyTorch's ReduceLROnPlateau), down to a floor.</summary>
/// <remarks>The length of the run is not needed: early stopping ends it. <see cref="Factor"/> and <see cref="SinceReduction"/> are
/// the whole state, saved in training checkpoints so that a resumed run continues exactly.</remarks>
public sealed class PlateauSchedule
{
    private readonly double _peak;
    private readonly long _warmup;
    private readonly double _startFactor;
    private readonly double _reduction;
    private readonly int _patience;
    private readonly double _floor;

    /// <summary>Creates the schedule.</summary>
    /// <param name="peak">Learning rate after warm-up.</param>
    /// <param name="warmupSteps">Steps of the linear warm-up (0: none).</param>
    /// <param name="startFactor">Learning rate at step 0 as a fraction of the peak.</param>
    /// <param name="reduction">Factor in (0, 1) applied at each plateau.</param>
    /// <param name="patience">Epochs without improvement before a reduction.</param>
    /// <param name="floor">Smallest factor of the peak the rate is reduced to.</param>
    public PlateauSchedule(double peak, long warmupSteps, double startFactor, double reduction, int patience, double floor)
    {
        _peak = peak;
        _warmup = Math.Max(0, warmupSteps);
        _startFactor = startFactor;
        _reduction = reduction;
        _patience = Math.Max(1, patience);
        _floor = floor;
    }

    /// <summary>Current multiple of the peak after the reductions so far (1 before the first).</summary>
    public double Factor { get; set; } = 1;

    /// <summary>Epochs since the last improvement or reduction.</summary>
    public int SinceReduction { get; set; }

    /// <summary>The learning rate at 0-based <paramref name="step"/>.</summary>
    public double At(long step) =>
        step < _warmup ? _peak * (_startFactor + (1 - _startFactor) * step / _warmup) : _peak * Factor;

    /// <summary>Records the end of an epoch; returns true when the rate was reduced.</summary>
    /// <param name="improved">Whether the epoch's validation loss was a new best.</param>
    public bool EndEpoch(bool improved)
    {
        if (improved)
        {
            SinceReduction = 0;
            return false;
        }
        if (++SinceReduction < _patience || Factor <= _floor) return false;
        Factor = Math.Max(_floor, Factor * _reduction);
        SinceReduction = 0;
        return true;
    }
}
