using System.Diagnostics;

namespace SbiSharp.Training;

/// <summary>Where a <see cref="Trainer"/>'s time goes, accumulated over every step while <see cref="Trainer.Profile"/> is set (libtorch's CPU ops are synchronous, so wall-clock time between phases is the phase's cost).</summary>
public sealed class TrainingProfile
{
    /// <summary>The phases of a step, in order, plus what happens between steps.</summary>
    public static IReadOnlyList<string> Phases { get; } = new[] { "data", "forward", "backward", "clip", "optimizer", "ema", "heap", "validation" };

    private readonly double[] _seconds = new double[Phases.Count];

    /// <summary>Training steps profiled.</summary>
    public long Steps { get; internal set; }

    /// <summary>Seconds spent in each of <see cref="Phases"/>.</summary>
    public IReadOnlyDictionary<string, double> Seconds => Phases.Select((p, i) => (p, i)).ToDictionary(e => e.p, e => _seconds[e.i]);

    /// <summary>Total seconds over the phases.</summary>
    public double Total => _seconds.Sum();

    internal long Mark(long since, int phase)
    {
        var now = Stopwatch.GetTimestamp();
        _seconds[phase] += (now - since) / (double)Stopwatch.Frequency;
        return now;
    }
}
