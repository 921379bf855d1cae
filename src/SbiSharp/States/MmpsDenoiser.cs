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
public sealed class MmpsDenoiser : IDenoiser
{
    private readonly IDenoiser _prior;

    /// <summary>Wraps <paramref name="prior"/>.</summary>
    /// <param name="prior">The prior denoiser over flattened states (B, D) (its condition argument is passed through).</param>
    /// <param name="observations">The observations (stacked; one or several).</param>
    /// <param name="cgIterations">Conjugate-gradient iterations for the linear system (the most, with a tolerance), ≥ 1 (azula's default is one GMRES iteration;
    /// docs/states.md measures 1, 3, 10).</param>
    /// <param name="cgTolerance">Stop the iterations early once every row's residual is at most this fraction of its right-hand side; 0 (default): always
    /// <paramref name="cgIterations"/>.</param>
    /// <exception cref="ArgumentException">Observations of states of another length.</exception>
    public MmpsDenoiser(IDenoiser prior, ObservationSet observations, int cgIterations = DefaultCgIterations, double cgTolerance = 0)
    {
        _prior = prior ?? throw new ArgumentNullException(nameof(prior));
        Observations = observations ?? throw new ArgumentNullException(nameof(observations));
        if (observations.InputDimension != prior.ParameterDimension)
            throw new ArgumentException($"`observations` are of states of length {observations.InputDimension}; the prior's states have {prior.ParameterDimension}.", nameof(observations));
        Internal.Check.PositiveValue(cgIterations, nameof(cgIterations));
        if (!(cgTolerance >= 0 && cgTolerance < 1)) throw new ArgumentOutOfRangeException(nameof(cgTolerance), cgTolerance, $"`cgTolerance` must lie in [0, 1); got {cgTolerance}.");
        CgIterations = cgIterations;
        CgTolerance = cgTolerance;
    }

    /// <summary>The relative residual at which the iterations stop early (0: never).</summary>
    public double CgTolerance { get; }

    /// <summary>The default number of conjugate-gradient iterations.</summary>
    public const int DefaultCgIterations = 3;

    /// <summary>The observations.</summary>
    public ObservationSet Observations { get; }

    /// <summary>Conjugate-gradient iterations per call.</summary>
    public int CgIterations { get; }

    /// <inheritdoc />
    public INoiseSchedule Schedule => _prior.Schedule;

    /// <inheritdoc />
    public int ParameterDimension => _prior.ParameterDimension;

    /// <inheritdoc />
    public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
    {
        Internal.Check.Matrix(thetaT, ParameterDimension, nameof(thetaT), "(flattened states)");
        using var scope = NewDisposeScope();
        using var linear = new TweedieLinearization(_prior, thetaT, logSnr, x);
        var y = Observations.Values(thetaT.dtype, thetaT.device);
        var noise = Observations.NoiseVariances(thetaT.dtype, thetaT.device);
        var residual = y - Observations.Apply(linear.Denoised);
        Tensor Product(Tensor u) => (noise * u).Plus(Observations.Apply(linear.Covariance(Observations.Transpose(u))));
        var solution = ConjugateGradient.Solve(Product, residual, CgIterations, CgTolerance);
        var result = linear.Denoised.Plus(linear.Covariance(Observations.Transpose(solution)));
        return result.detach().MoveToOuterDisposeScope();
    }
}
