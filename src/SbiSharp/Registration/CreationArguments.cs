namespace SbiSharp.Registration;

/// <summary>What the command line can pass to a registered factory; null fields mean the type's own default.</summary>
/// <param name="Steps">Step count (samplers).</param>
/// <param name="RelativeTolerance">Relative error tolerance (adaptive samplers).</param>
/// <param name="StopTime">Time a sampler stops at (0: clean draws).</param>
public sealed record CreationArguments(int? Steps = null, double? RelativeTolerance = null, double? StopTime = null)
{
    /// <summary>No arguments: every default.</summary>
    public static CreationArguments None { get; } = new();
}
