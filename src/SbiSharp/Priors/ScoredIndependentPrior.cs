using static TorchSharp.torch;

namespace SbiSharp.Priors;

/// <summary>An <see cref="IndependentPrior"/> whose components all have analytic scores.</summary>
public sealed class ScoredIndependentPrior : IndependentPrior, IScoredPrior
{
    internal ScoredIndependentPrior(IPrior[] components) : base(components) { }

    /// <inheritdoc />
    public Tensor Score(Tensor theta) => ScoreOfParts(theta);
}
