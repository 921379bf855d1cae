using static TorchSharp.torch;

namespace SbiSharp.Priors;

/// <summary>A prior whose score ∇_θ log p(θ) is known in closed form.</summary>
public interface IScoredPrior : IPrior
{
    /// <summary>The score ∇_θ log p(θ), shape (B, D), for <paramref name="theta"/> of shape (B, D).</summary>
    Tensor Score(Tensor theta);
}
