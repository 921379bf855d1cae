using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Guidance;

/// <summary>Inpainting: fixes some components of θ to given values and samples the rest, p(θ_u | θ_k = v, x), from any trained diffusion model.</summary>
/// <remarks>
/// Because the noise of each component is independent, E[θ_u | θ_t, θ_k = v, x] = E[θ_u | θ_t^u, θ_k = v, x] whatever θ_t^k is. With a
/// Gaussian denoising posterior N(θ̂, C), C = (σ²/α)·∂θ̂/∂θ_t (Tweedie), conditioning gives θ̂′_u = θ̂_u + C_uk C_kk⁻¹ (v − θ̂_k) and
/// θ̂′_k = v: exact for Gaussian posteriors, one backward pass per fixed component. The fixed components of the samples end at
/// v up to the schedule's smallest noise (σ_min·ε in standardized units).
/// </remarks>
public sealed class InpaintingGuidance : DenoiserGuidance
{
    /// <summary>Creates the guidance.</summary>
    /// <param name="indices">Zero-based indices of the fixed components, distinct.</param>
    /// <param name="values">Their values in original units, same length.</param>
    /// <exception cref="ArgumentException">Empty, mismatched, repeated or non-finite input.</exception>
    public InpaintingGuidance(IReadOnlyList<int> indices, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(values);
        if (indices.Count == 0) throw new ArgumentException("`indices` must name at least one component to fix; got none.", nameof(indices));
        if (values.Count != indices.Count) throw new ArgumentException($"`values` must have one value per index ({indices.Count}); got {values.Count}.", nameof(values));
        if (indices.Distinct().Count() != indices.Count) throw new ArgumentException($"`indices` must be distinct; got [{string.Join(", ", indices)}].", nameof(indices));
        for (int i = 0; i < values.Count; i++)
            if (!double.IsFinite(values[i]) || Math.Abs(values[i]) > float.MaxValue)
                throw new ArgumentException($"`values[{i}]` must be a finite number within the float32 range (±3.4e38) that sampling computes in; got {values[i]}.", nameof(values));
        Indices = indices.ToArray();
        Values = values.ToArray();
    }

    /// <summary>Sets the fixed components of the draws to exactly their values (sampling leaves them within σ_min and the float32 rounding of standardization).</summary>
    public override Tensor Finish(Tensor draws)
    {
        ArgumentNullException.ThrowIfNull(draws);
        var result = draws.clone();
        for (int i = 0; i < Indices.Count; i++)
        {
            using var column = result.select(-1, Indices[i]);
            column.FillInPlace(Values[i]);
        }
        return result;
    }

    /// <summary>Fixed components.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>Their values in original units.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <inheritdoc />
    public override IDenoiser Apply(IDenoiser inner, GuidanceContext context)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(context);
        var d = inner.ParameterDimension;
        for (int i = 0; i < Indices.Count; i++)
            if (Indices[i] < 0 || Indices[i] >= d)
                throw new ArgumentOutOfRangeException(nameof(Indices), Indices[i], $"`indices[{i}]` must lie in [0, {d - 1}] for a model with Dθ = {d}; got {Indices[i]}.");
        if (Indices.Count == d) throw new ArgumentException($"`indices` fixes all {d} components; leave at least one free.", nameof(Indices));
        var standardized = new double[Indices.Count];
        for (int i = 0; i < Indices.Count; i++)
            standardized[i] = context.Space.StandardizedValue(Indices[i], Values[i], $"values[{i}]");
        return new Inpainted(inner, Indices.ToArray(), standardized);
    }

    private sealed class Inpainted(IDenoiser inner, int[] known, double[] values) : IDenoiser
    {
        private readonly int[] _free = Enumerable.Range(0, inner.ParameterDimension).Except(known).ToArray();

        public INoiseSchedule Schedule => inner.Schedule;

        public int ParameterDimension => inner.ParameterDimension;

        public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
        {
            using var scope = NewDisposeScope();
            var (denoised, rows) = DenoiserJacobian.Compute(inner, thetaT, logSnr, x, known);
            var (alpha, sigma) = Schedule.Scales(logSnr);
            var device = thetaT.device;
            var knownIndex = tensor(known.Select(i => (long)i).ToArray(), device: device);
            var freeIndex = tensor(_free.Select(i => (long)i).ToArray(), device: device);
            // Rows k of C = (σ²/α)J; C is symmetric, so C_uk = (C_ku)ᵀ needs only these rows. Computed in float64 for the solve near t = 0.
            var covarianceRows = ((sigma.Square() / alpha).unsqueeze(2) * rows).to(ScalarType.Float64);
            var ckk = covarianceRows.index_select(2, knownIndex);
            ckk = (ckk.Plus(ckk.transpose(1, 2))).Mul(0.5);
            var cku = covarianceRows.index_select(2, freeIndex);
            var target = tensor(values, dtype: ScalarType.Float64, device: device).unsqueeze(0);
            var residual = (target - denoised.index_select(1, knownIndex).to(ScalarType.Float64)).unsqueeze(2);
            var jitter = ckk.diagonal(dim1: 1, dim2: 2).abs().mean(new long[] { 1 }, keepdim: true).unsqueeze(2).Mul(1e-6).Add(1e-12);
            var identity = eye(known.Length, dtype: ScalarType.Float64, device: device).unsqueeze(0);
            var weights = linalg.solve(ckk.Plus(jitter * identity), residual);
            var freeShift = cku.transpose(1, 2).matmul(weights).squeeze(2);
            var result = denoised.clone();
            result.index_copy_(1, freeIndex, denoised.index_select(1, freeIndex).Plus(freeShift.to(denoised.dtype)));
            result.index_copy_(1, knownIndex, target.to(denoised.dtype).expand(denoised.shape[0], -1).contiguous());
            return result.MoveToOuterDisposeScope();
        }
    }
}
