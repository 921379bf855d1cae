using SbiSharp.Priors;
using SbiSharp.Simulators;

namespace SbiSharp.Tasks;

/// <summary>A named inference problem: a prior, a simulator and the names of their columns.</summary>
/// <param name="Name">Identifier, e.g. "gaussian_linear".</param>
/// <param name="Prior">p(θ).</param>
/// <param name="Simulator">p(x | θ).</param>
/// <param name="ParameterNames">One name per parameter.</param>
public sealed record SbiTask(string Name, IPrior Prior, ISimulator Simulator, IReadOnlyList<string> ParameterNames)
{
    /// <summary>Prior and simulator combined.</summary>
    public JointSampler Joint(InvalidSimulationPolicy invalidRows = InvalidSimulationPolicy.Throw) => new(Prior, Simulator, invalidRows);

    /// <summary>Dθ.</summary>
    public int ParameterDimension => Prior.Dimension;

    /// <summary>Dx.</summary>
    public int ObservationDimension => Simulator.ObservationDimension;
}
