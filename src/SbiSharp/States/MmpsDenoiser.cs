using SbiSharp.Denoising;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>Moment-matching posterior sampling (MMPS; Rozet et al. 2024, arXiv:2405.13712): wraps a prior denoiser E[x | x_t] into the posterior denoiser
/// E[x | x_t, y] for linear-Gaussian observations, so that every sampler draws from p(x | y) unchanged.</summary>
/// <remarks>
/// p(y | x_t) ≈ N(y | A E[x | x_t], Σ_y + A V Aᵀ) with Tweedie's covariance V = (σ²/α)·∂E[x | x_t]/∂x_t, applied matrix-free by vector–Jacobian products; then
/// E[x | x_t, y] = E[x | x_t] + V Aᵀ u with (Σ_y + A V Aᵀ) u = y − A E[x | x_t], u by <see cref="CgIterations"/> conjugate-gradient iterations
/// (each one backward pass). For a Gaussian prior with its exact denoiser this is exact Gaussian conditioning, so with enough iterations the samples are
/// exact posterior draws. Cost per call: one forward pass and <see cref="CgIterations"/> + 1 backward passes. States half: x is the state, y the observation.
/// </remarks>
public sealed class MmpsDenoiser : ObservationDenoiser
{
    /// <summary>Wraps <paramref name="prior"/>.</summary>
    /// <param name="prior">The prior denoiser over flattened states (B, D) (its condition argument is passed through).</param>
    /// <param name="observations">The observations (stacked; one or several).</param>
    /// <param name="cgIterations">Conjugate-gradient iterations for the linear system (the most, with a tolerance), ≥ 1 (azula's default is one GMRES iteration;
    /// docs/states.md measures 1, 3, 10).</param>
    /// <param name="cgTolerance">Stop the iterations early once every row's residual is at most this fraction of its right-hand side; 0 (default): always
    /// <paramref name="cgIterations"/>.</param>
    /// <exception cref="ArgumentException">Observations of states of another length.</exception>
    public MmpsDenoiser(IDenoiser prior, ObservationSet observations, int cgIterations = DefaultCgIterations, double cgTolerance = 0)
        : base(prior, observations)
    {
        Internal.Check.PositiveValue(cgIterations, nameof(cgIterations));
        if (!(cgTolerance >= 0 && cgTolerance < 1)) throw new ArgumentOutOfRangeException(nameof(cgTolerance), cgTolerance, $"`cgTolerance` must lie in [0, 1); got {cgTolerance}.");
        CgIterations = cgIterations;
        CgTolerance = cgTolerance;
    }

    /// <summary>The relative residual at which the iterations stop early (0: never).</summary>
    public double CgTolerance { get; }

    /// <summary>The default number of conjugate-gradient iterations.</summary>
    public const int DefaultCgIterations = 3;

    /// <summary>Conjugate-gradient iterations per call.</summary>
    public int CgIterations { get; }

    private protected override Tensor Correction(TweedieLinearization linear, Tensor residual, Tensor noiseVariances)
    {
        Tensor Product(Tensor u) => (noiseVariances * u).Plus(Observations.Apply(linear.Covariance(Observations.Transpose(u))));
        using var solution = ConjugateGradient.Solve(Product, residual, CgIterations, CgTolerance);
        using var back = Observations.Transpose(solution);
        return linear.Covariance(back);
    }
}
