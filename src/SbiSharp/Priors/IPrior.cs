using static TorchSharp.torch;

namespace SbiSharp.Priors;

/// <summary>A prior distribution p(θ) over a <see cref="Dimension"/>-dimensional parameter.</summary>
public interface IPrior
{
    /// <summary>Number of parameters D.</summary>
    int Dimension { get; }

    /// <summary>Draws <paramref name="n"/> samples, shape (n, D), float32.</summary>
    /// <param name="n">Number of draws, positive.</param>
    /// <param name="generator">Random generator; null uses torch's global generator.</param>
    Tensor Sample(long n, Generator? generator = null);

    /// <summary>Log density log p(θ), shape (B,), for <paramref name="theta"/> of shape (B, D).</summary>
    Tensor LogProb(Tensor theta);

    /// <summary>Per-coordinate bounds of the prior's mass; the default is all of ℝᴰ. Estimators choose the transform to unconstrained space from it.</summary>
    Support Support => Support.Real(Dimension);
}
