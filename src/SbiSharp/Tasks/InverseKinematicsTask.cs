using SbiSharp.Priors;
using SbiSharp.Simulators;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tasks;

/// <summary>The planar robot arm of the BayesFlow tutorial (Kruse et al. 2021, arXiv:2101.10763): θ = (h, α₁, α₂, α₃), x = end point.</summary>
/// <remarks>
/// Prior N(0, diag(0.25², 0.5², 0.5², 0.5²)); segment lengths (0.5, 0.5, 1.0); x₁ = h + Σ lₖ sin(α₁+…+αₖ), x₂ = Σ lₖ cos(α₁+…+αₖ).
/// No noise. The tutorial's observation (0, 1.5) has a bimodal posterior: elbow up or down (the sign of sin α₁).
/// </remarks>
public static class InverseKinematicsTask
{
    /// <summary>Task name.</summary>
    public const string Name = "inverse_kinematics";

    /// <summary>Segment lengths l₁, l₂, l₃.</summary>
    public static IReadOnlyList<double> SegmentLengths { get; } = new[] { 0.5, 0.5, 1.0 };

    /// <summary>The tutorial's observation.</summary>
    public static IReadOnlyList<double> TutorialObservation { get; } = new[] { 0.0, 1.5 };

    /// <summary>Creates the task.</summary>
    public static SbiTask Create()
    {
        var prior = new DiagonalGaussianPrior(new double[4], new[] { 0.25, 0.5, 0.5, 0.5 });
        var simulator = new TensorSimulator(4, 2, (theta, _) => EndPoint(theta));
        return new SbiTask(Name, prior, simulator, new[] { "h", "alpha1", "alpha2", "alpha3" });
    }

    /// <summary>The elbow-up constraint for <see cref="Guidance.ConstraintGuidance"/>: c(θ) = −sin α₁ ≤ 0, i.e. the first segment leans right (α₁ &gt; 0 for |α₁| &lt; π).</summary>
    public static Func<Tensor, Tensor> ElbowUp { get; } = theta => -theta[.., 1].sin();

    /// <summary>The elbow-down constraint: c(θ) = sin α₁ ≤ 0.</summary>
    public static Func<Tensor, Tensor> ElbowDown { get; } = theta => theta[.., 1].sin();

    /// <summary>Joint positions of the arm for each θ: shape (B, 4, 2) — the base (h, 0), two elbows and the end point.</summary>
    public static Tensor Joints(Tensor theta)
    {
        using var scope = NewDisposeScope();
        var h = theta[.., 0];
        var angles = theta[.., 1..].cumsum(1);
        var lengths = tensor(SegmentLengths.ToArray(), dtype: theta.dtype);
        var dx = (angles.sin() * lengths).cumsum(1).Plus(h.unsqueeze(1));
        var dy = (angles.cos() * lengths).cumsum(1);
        var baseX = h.unsqueeze(1);
        var baseY = zeros_like(baseX);
        var xs = cat(new[] { baseX, dx }, 1);
        var ys = cat(new[] { baseY, dy }, 1);
        return stack(new[] { xs, ys }, 2).MoveToOuterDisposeScope();
    }

    /// <summary>Distance of each arm's end point from <paramref name="observed"/> (x₁, x₂), shape (B,), in θ's dtype.</summary>
    public static Tensor EndPointDistance(Tensor theta, IReadOnlyList<double> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        if (observed.Count != 2) throw new ArgumentException($"`observed` must be an end point (x₁, x₂); got {observed.Count} values.", nameof(observed));
        using var scope = NewDisposeScope();
        return (EndPoint(theta) - tensor(observed.ToArray(), dtype: theta.dtype, device: theta.device)).norm(1).MoveToOuterDisposeScope();
    }

    /// <summary>A rejection reference for p(θ | x = <paramref name="observed"/>): the prior draws, of <paramref name="draws"/>, whose end point lies within
    /// <paramref name="tolerance"/> of the observation (the simulator is deterministic, so this is exact as the tolerance shrinks). (n, 4) on the CPU.</summary>
    /// <param name="observed">The end point (x₁, x₂).</param>
    /// <param name="draws">Prior draws, positive (10⁸ at tolerance 0.01 keep about 400 for the tutorial's observation).</param>
    /// <param name="tolerance">Largest end-point distance accepted, positive.</param>
    /// <param name="generator">Randomness of the prior draws.</param>
    public static Tensor RejectionReference(IReadOnlyList<double> observed, long draws, double tolerance, Generator generator)
    {
        Internal.Check.PositiveValue(draws, nameof(draws));
        Internal.Check.PositiveValue(tolerance, nameof(tolerance));
        var prior = Create().Prior;
        var accepted = new List<Tensor>();
        const long chunk = 2_500_000;
        try
        {
            for (long done = 0; done < draws; done += chunk)
            {
                using var scope = NewDisposeScope();
                var theta = prior.Sample(Math.Min(chunk, draws - done), generator);
                var distance = EndPointDistance(theta, observed);
                accepted.Add(theta.index_select(0, distance.Lt(tolerance).nonzero().squeeze(1)).MoveToOuterDisposeScope());
            }
            return cat(accepted.ToArray(), 0);
        }
        finally
        {
            foreach (var t in accepted) t.Dispose();
        }
    }

    /// <summary>The end point x = (x₁, x₂) for each θ, shape (B, 2).</summary>
    public static Tensor EndPoint(Tensor theta)
    {
        using var scope = NewDisposeScope();
        return Joints(theta)[.., 3, ..].contiguous().MoveToOuterDisposeScope();
    }
}
