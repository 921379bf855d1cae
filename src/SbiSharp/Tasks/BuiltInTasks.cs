namespace SbiSharp.Tasks;

/// <summary>The built-in tasks by name: the six sbibm tasks and the inverse-kinematics tutorial.</summary>
public static class BuiltInTasks
{
    /// <summary>The sbibm tasks with stored reference posteriors.</summary>
    public static IReadOnlyList<string> Sbibm { get; } = new[]
    {
        TwoMoonsTask.Name, GaussianLinearTask.Name, GaussianLinearUniformTask.Name, SlcpTask.Name, BernoulliGlmTask.Name, GaussianMixtureTask.Name,
    };

    /// <summary>Every built-in task name.</summary>
    public static IReadOnlyList<string> Names { get; } = Sbibm.Append(InverseKinematicsTask.Name).ToArray();

    /// <summary>Creates a task by name (case-insensitive).</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <param name="dataRoot">sbibm data folder (only bernoulli_glm reads from it).</param>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static SbiTask Create(string name, string? dataRoot = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            TwoMoonsTask.Name => TwoMoonsTask.Create(),
            GaussianLinearTask.Name => GaussianLinearTask.Create(),
            GaussianLinearUniformTask.Name => GaussianLinearUniformTask.Create(),
            SlcpTask.Name => SlcpTask.Create(),
            BernoulliGlmTask.Name => BernoulliGlmTask.Create(dataRoot),
            GaussianMixtureTask.Name => GaussianMixtureTask.Create(),
            InverseKinematicsTask.Name => InverseKinematicsTask.Create(),
            _ => throw new ArgumentException($"Unknown task '{name}'; valid: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
