namespace SbiSharp.Simulators;

/// <summary>What to do with simulations that return NaN or infinite values.</summary>
public enum InvalidSimulationPolicy
{
    /// <summary>Throw a <see cref="SimulationException"/> naming the first bad row and its θ (the default).</summary>
    Throw,

    /// <summary>Drop the bad rows and count them in <see cref="SimulationBatch.Dropped"/>.</summary>
    Drop,
}
