namespace SbiSharp.Cli;

/// <summary>The data source of `train` and `diagnose`: a built-in task, or a pair of CSV files (--theta, --x).</summary>
internal static class TaskOrFiles
{
    /// <summary>Throws unless exactly one source is given: --task, or both --theta and --x.</summary>
    public static void Validate(string? taskName, string? thetaPath, string? xPath)
    {
        if ((taskName is null) == (thetaPath is null && xPath is null))
            throw new ArgumentException("Give either --task NAME or both --theta FILE and --x FILE.");
        if (taskName is null && (thetaPath is null || xPath is null))
            throw new ArgumentException("--theta and --x must be given together.");
    }
}
