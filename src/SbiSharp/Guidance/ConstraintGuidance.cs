using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Internal;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

using SbiSharp.Spaces;

namespace SbiSharp.Guidance;

/// <summary>Steers sampling towards θ that satisfy differentiable constraints c(θ) ≤ 0, written as plain C# functions of tensors in original units.</summary>
/// <remarks>
/// Adds λ·∇_{θ_t} Σ_k −softplus(s(t)·c_k(θ̂(θ_t))) to the score, where θ̂ is the denoised estimate mapped back to original units and
/// the gradient flows through the denoiser; s(t) defaults to α_t²/σ_t², so the constraint is soft at high noise and sharp near
/// the data (Arruda et al. 2025, the constraint guidance of the diffusion-SBI review; the softplus barrier follows BayesFlow).
/// Each evaluation costs one extra backward pass through the network.
/// </remarks>
public sealed class ConstraintGuidance : DenoiserGuidance
{
    /// <summary>The default strength λ.</summary>
    public const double DefaultStrength = 1.0;

    /// <summary>Creates the guidance.</summary>
    /// <param name="constraints">Functions c(θ) of θ in original units, (B, Dθ) ↦ (B) or (B, 1); the constraint holds where c ≤ 0.</param>
    /// <exception cref="ArgumentException">No constraint given, or a null one.</exception>
    public ConstraintGuidance(params Func<Tensor, Tensor>[] constraints)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        if (constraints.Length == 0) throw new ArgumentException("`constraints` must hold at least one function c(θ) (satisfied where c ≤ 0); got none.", nameof(constraints));
        for (int i = 0; i < constraints.Length; i++)
            if (constraints[i] is null) throw new ArgumentException($"`constraints[{i}]` is null.", nameof(constraints));
        Constraints = constraints.ToArray();
    }

    /// <summary>The constraints.</summary>
    public IReadOnlyList<Func<Tensor, Tensor>> Constraints { get; }

    /// <summary>Strength λ ≥ 0.</summary>
    public double Strength { get; init; } = DefaultStrength;

    /// <summary>Sharpness k &gt; 0 multiplying the time scaling: s(t) = k·α²/σ² by default.</summary>
    /// <remarks>The barrier depends on s·c, so k sets the constraint's units: with c = −sin α₁ on the arm (values in [−1, 1]) and k = 1 the
    /// guidance acts only late in the reverse process, and a third of the draws moved to the wanted mode missed the arm's end point;
    /// k = 100 acts earlier (end point reached as often as unguided). See docs/guidance.md.</remarks>
    public double Sharpness { get; init; } = 1;

    /// <summary>Time scaling s(α, σ) of the constraint, from tensors (B, 1) to (B, 1); null: α²/σ² (the signal-to-noise ratio). Multiplied by <see cref="Sharpness"/>.</summary>
    public Func<Tensor, Tensor, Tensor>? TimeScaling { get; init; }

    /// <summary>Whether the gradient flows through the denoiser (∇_{θ_t}, one backward pass through the network; default) or is taken at the denoised estimate and scaled by 1/α (∇_{θ̂}/α, no backward pass through the network).</summary>
    public bool ThroughDenoiser { get; init; } = true;

    /// <inheritdoc />
    public override IDenoiser Apply(IDenoiser inner, GuidanceContext context)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(context);
        if (!(Strength >= 0 && double.IsFinite(Strength)))
            throw new ArgumentOutOfRangeException(nameof(Strength), Strength, $"`Strength` must be finite and non-negative; got {Strength}.");
        if (!(Sharpness > 0 && double.IsFinite(Sharpness)))
            throw new ArgumentOutOfRangeException(nameof(Sharpness), Sharpness, $"`Sharpness` must be positive and finite; got {Sharpness}.");
        if (context.Space.Dimension != inner.ParameterDimension)
            throw new ArgumentException($"The parameter space has {context.Space.Dimension} dimensions; the denoiser has {inner.ParameterDimension}.", nameof(context));
        return new Guided(inner, this, context.Space);
    }

    private sealed class Guided(IDenoiser inner, ConstraintGuidance guidance, ParameterSpace space) : IDenoiser
    {
        public INoiseSchedule Schedule => inner.Schedule;

        public int ParameterDimension => inner.ParameterDimension;

        public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
        {
            using var scope = NewDisposeScope();
            var (alpha, sigma) = Schedule.Scales(logSnr);
            Tensor denoised, gradient;
            using (enable_grad())
            {
                // Nested inside another gradient-taking guidance, stay differentiable (double backward).
                var outer = thetaT.requires_grad;
                var through = guidance.ThroughDenoiser || outer;
                var input = outer ? thetaT : thetaT.detach().requires_grad_(through);
                var estimate = inner.Denoise(input, logSnr, x);
                if (!through) estimate = estimate.detach().requires_grad_(true);
                var original = space.ToOriginal(estimate);
                var scale = (guidance.TimeScaling?.Invoke(alpha, sigma) ?? alpha.Square() / sigma.Square()).Mul(guidance.Sharpness);
                Tensor? barrier = null;
                for (int k = 0; k < guidance.Constraints.Count; k++)
                {
                    var value = Evaluate(k, original);
                    var term = -(scale * value).Softplus();
                    barrier = barrier is null ? term : barrier.Plus(term);
                }
                DenoiserJacobian.RequireGradient(barrier!, "constraint barrier");
                gradient = through
                    ? autograd.grad(new[] { barrier!.sum() }, new[] { input }, retain_graph: outer, create_graph: outer)[0]
                    : autograd.grad(new[] { barrier!.sum() }, new[] { estimate })[0] / alpha;
                denoised = outer ? estimate : estimate.detach();
            }
            // A score change Δs moves the denoised mean by (σ²/α)·Δs.
            var result = denoised.Plus(sigma.Square().Mul(guidance.Strength) / alpha * gradient);
            return result.MoveToOuterDisposeScope();
        }

        private Tensor Evaluate(int k, Tensor theta)
        {
            var value = guidance.Constraints[k](theta);
            var rows = theta.shape[0];
            if (value is null || !(value.shape.SequenceEqual(new[] { rows }) || value.shape.SequenceEqual(new[] { rows, 1L })))
                throw new ArgumentException($"Constraint {k} must return shape ({rows}) or ({rows}, 1) for θ of shape {Check.Shape(theta)}; got {(value is null ? "null" : Check.Shape(value))}.", "constraints");
            return value.reshape(rows, 1).to(theta.dtype);
        }
    }
}
