namespace SbiSharp.Training;

/// <summary>Learning rate with a linear warm-up from a fraction of the peak, then cosine decay to zero (Loshchilov &amp; Hutter 2017, arXiv:1608.03983).</summary>
public sealed class WarmupCosineSchedule
{
    private readonly double _peak;
    private readonly long _warmup;
    private readonly long _total;
    private readonly double _startFactor;

    /// <summary>Creates the schedule over <paramref name="totalSteps"/> steps.</summary>
    public WarmupCosineSchedule(double peak, long totalSteps, double warmupFraction, double startFactor)
    {
        _peak = peak;
        _total = Math.Max(1, totalSteps);
        _warmup = (long)Math.Round(warmupFraction * _total);
        _startFactor = startFactor;
    }

    /// <summary>The learning rate at 0-based <paramref name="step"/>.</summary>
    public double At(long step)
    {
        if (step < _warmup) return _peak * (_startFactor + (1 - _startFactor) * step / _warmup);
        var progress = Math.Min(1.0, (double)(step - _warmup) / Math.Max(1, _total - _warmup));
        return _peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
