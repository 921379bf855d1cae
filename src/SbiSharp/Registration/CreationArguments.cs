namespace SbiSharp.Registration;

/// <summary>What the command line can pass to a registered factory; null fields mean the type's own default.</summary>
/// <param name="Steps">Step count (samplers).</param>
/// <param name="RelativeTolerance">Relative error tolerance (adaptive samplers).</param>
/// <param name="StopTime">Time a sampler stops at (0: clean draws).</param>
/// <param name="Argument">The text after "name:" on the command line (guidance: "1=0.25", "1.5", "2&gt;=0").</param>
/// <param name="ParameterDimension">Dθ of the model the instance is for (guidance checks its indices against it).</param>
public sealed record CreationArguments(int? Steps = null, double? RelativeTolerance = null, double? StopTime = null, string? Argument = null, int? ParameterDimension = null)
{
    /// <summary>No arguments: every default.</summary>
    public static CreationArguments None { get; } = new();
}
