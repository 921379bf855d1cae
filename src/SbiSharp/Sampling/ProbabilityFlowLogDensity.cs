using SbiSharp.Denoising;
using SbiSharp.Internal;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>log p(θ | x) of a diffusion model, by integrating the probability-flow ODE from data (t = 0) to noise (t = 1) together with the divergence of its velocity.</summary>
/// <remarks>
/// Along dθ/dt = v(θ, t) = f θ − ½ g² ∇log p_t, log p_0(θ_0) = log p_1(θ_1) + ∫₀¹ ∇·v(θ_t, t) dt (Chen et al. 2018, arXiv:1806.07366;
/// Song et al. 2021, arXiv:2011.13456, App. D.2), with p_1 = N(0, (α₁² + σ₁²) I), the same terminal law the samplers start from.
/// Classical RK4 on the augmented state; the divergence exactly (Dθ vector–Jacobian products) or by Hutchinson's estimator.
/// The result is the density of the model's own sampler (in the denoiser's units); the estimator adds the standardization Jacobian.
/// </remarks>
public sealed class ProbabilityFlowLogDensity
{
    private const int ExactUpTo = 16;

    /// <summary>Creates the integrator.</summary>
    public ProbabilityFlowLogDensity(LogDensityOptions? options = null) => Options = (options ?? LogDensityOptions.Default).Validate();

    /// <summary>The options.</summary>
    public LogDensityOptions Options { get; }

    /// <summary>log p(θ | x) for each row.</summary>
    /// <param name="denoiser">The denoiser.</param>
    /// <param name="theta">Points, (B, Dθ), in the denoiser's units.</param>
    /// <param name="x">Conditions, (B, Dx), in the denoiser's units.</param>
    /// <returns>Log densities, (B,), float64.</returns>
    public Tensor LogProb(IDenoiser denoiser, Tensor theta, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(denoiser);
        Check.Matrix(theta, denoiser.ParameterDimension, nameof(theta), "to match the denoiser's parameter dimension");
        if (x is null || x.dim() != 2) throw new ArgumentException($"`x` must have shape (B, Dx); got {(x is null ? "null" : Check.Shape(x))}.", nameof(x));
        Check.SameRows(theta, nameof(theta), x, nameof(x));
        var trace = Options.Trace ?? (denoiser.ParameterDimension <= ExactUpTo ? TraceEstimator.Exact : TraceEstimator.Hutchinson);
        using var generator = new Generator((ulong)Options.Seed);
        var parts = new List<Tensor>();
        try
        {
            for (long start = 0; start < theta.shape[0]; start += Options.ChunkSize)
            {
                var len = Math.Min(Options.ChunkSize, theta.shape[0] - start);
                using var scope = NewDisposeScope();
                parts.Add(Chunk(denoiser, theta.narrow(0, start, len), x.narrow(0, start, len), trace, generator).MoveToOuterDisposeScope());
            }
            return cat(parts.ToArray(), 0);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    private Tensor Chunk(IDenoiser denoiser, Tensor theta, Tensor x, TraceEstimator trace, Generator generator)
    {
        var schedule = denoiser.Schedule;
        Tensor[]? probes = null;
        if (trace == TraceEstimator.Hutchinson)
            probes = Enumerable.Range(0, Options.Probes)
                .Select(_ => randint(0, 2, theta.shape, dtype: theta.dtype, device: theta.device, generator: generator).Mul(2).Sub(1)).ToArray();
        var y = theta.detach().clone();
        var integral = zeros(theta.shape[0], dtype: ScalarType.Float64, device: theta.device);
        double h = 1.0 / Options.Steps;
        for (int k = 0; k < Options.Steps; k++)
        {
            NativeHeap.AfterStep();
            using var step = NewDisposeScope();
            double t = (double)k / Options.Steps;
            var (v1, d1) = VelocityAndDivergence(denoiser, y, t, x, probes);
            var (v2, d2) = VelocityAndDivergence(denoiser, y.Plus(v1.Mul(0.5 * h)), t + 0.5 * h, x, probes);
            var (v3, d3) = VelocityAndDivergence(denoiser, y.Plus(v2.Mul(0.5 * h)), t + 0.5 * h, x, probes);
            var (v4, d4) = VelocityAndDivergence(denoiser, y.Plus(v3.Mul(h)), Math.Min(1, t + h), x, probes);
            var nextY = (y.Plus((v1.Plus(v2.Mul(2)).Plus(v3.Mul(2)).Plus(v4)).Mul(h / 6))).MoveToOuterDisposeScope();
            var nextIntegral = (integral.Plus((d1.Plus(d2.Mul(2)).Plus(d3.Mul(2)).Plus(d4)).Mul(h / 6))).MoveToOuterDisposeScope();
            y.Dispose();
            integral.Dispose();
            (y, integral) = (nextY, nextIntegral);
        }
        var (a, s) = schedule.Scales(schedule.LogSnr(1));
        var variance = a * a + s * s;
        var d = theta.shape[1];
        var terminal = y.to(ScalarType.Float64).Square().sum(1).Mul(-0.5).Div(variance).Sub(0.5 * d * Math.Log(2 * Math.PI * variance));
        var result = terminal.Plus(integral);
        y.Dispose();
        integral.Dispose();
        if (probes is not null) foreach (var p in probes) p.Dispose();
        return result;
    }

    /// <summary>v(y, t) (detached) and its divergence (float64, (B,)).</summary>
    private static (Tensor Velocity, Tensor Divergence) VelocityAndDivergence(IDenoiser denoiser, Tensor y, double t, Tensor x, Tensor[]? probes)
    {
        using var grad = enable_grad();
        var input = y.detach().requires_grad_(true);
        var velocity = DiffusionSampler.Drift(denoiser, input, t, x, scoreFactor: 0.5).Drift;
        Tensor divergence;
        if (probes is null)
        {
            var d = y.shape[1];
            divergence = zeros(y.shape[0], dtype: ScalarType.Float64, device: y.device);
            for (int i = 0; i < d; i++)
            {
                var g = autograd.grad(new[] { velocity[.., i].sum() }, new[] { input }, retain_graph: i < d - 1)[0];
                divergence = divergence.Plus(g[.., i].to(ScalarType.Float64));
            }
        }
        else
        {
            divergence = zeros(y.shape[0], dtype: ScalarType.Float64, device: y.device);
            for (int p = 0; p < probes.Length; p++)
            {
                var g = autograd.grad(new[] { (velocity * probes[p]).sum() }, new[] { input }, retain_graph: p < probes.Length - 1)[0];
                divergence = divergence.Plus((g * probes[p]).sum(1).to(ScalarType.Float64).Div(probes.Length));
            }
        }
        return (velocity.detach(), divergence);
    }
}
