namespace SbiSharp.Sampling;

/// <summary>The step-size bounds shared by the adaptive samplers: at least MinSteps and at most MaxSteps accepted steps over the run.</summary>
internal static class StepBudget
{
    /// <summary>Clamps a proposed step to [remaining/(max − taken), remaining/(min − taken)] and snaps it to the stop time when it would reach it.</summary>
    /// <returns>The step to try, the smallest allowed step (always accepted) and whether this step ends the run.</returns>
    public static (double Size, double Smallest, bool Last) Next(double t, double stop, double proposed, int accepted, int minSteps, int maxSteps)
    {
        var remaining = t - stop;
        var smallest = remaining / Math.Max(1, maxSteps - accepted);
        var largest = remaining / Math.Max(1, minSteps - accepted);
        var size = Math.Clamp(proposed, smallest, largest);
        var last = size >= remaining * (1 - 1e-9);
        return (last ? remaining : size, smallest, last);
    }
}
