using SbiSharp.Tasks;

namespace SbiSharp.Cli;

/// <summary>Built-in tasks by name.</summary>
internal static class TaskNames
{
    public static readonly string[] Valid = { GaussianLinearTask.Name, InverseKinematicsTask.Name };

    public static SbiTask Create(string name) => name.ToLowerInvariant() switch
    {
        GaussianLinearTask.Name => GaussianLinearTask.Create(),
        InverseKinematicsTask.Name => InverseKinematicsTask.Create(),
        _ => throw new ArgumentException($"Unknown task '{name}' (--task); valid: {string.Join(", ", Valid)}."),
    };
}
