using static TorchSharp.torch;

namespace SbiSharp.Denoising;

/// <summary>Rows of the denoiser's Jacobian ∂θ̂/∂θ_t by backward passes, and the denoising covariance that Tweedie's formula gives from it.</summary>
/// <remarks>
/// Rows of a batch are independent, so one backward pass of Σ_b θ̂_{b,i} gives row i of every row's Jacobian. Tweedie's second-order
/// formula: Cov[θ | θ_t] = (σ²/α)·∂θ̂/∂θ_t (Efron 2011; used for posterior covariances by Boys et al. 2023, arXiv:2310.06721, and
/// Linhart et al. 2024, arXiv:2404.07593). The exact Jacobian is symmetric; a network's is symmetrized.
/// </remarks>
internal static class DenoiserJacobian
{
    /// <summary>The denoised mean (B, D) and the Jacobian rows <paramref name="outputs"/>, (B, k, D); both detached.</summary>
    public static (Tensor Denoised, Tensor Rows) Compute(IDenoiser denoiser, Tensor thetaT, Tensor logSnr, Tensor x, IReadOnlyList<int> outputs)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var input = thetaT.detach().requires_grad_(true);
        var denoised = denoiser.Denoise(input, logSnr, x);
        var rows = new Tensor[outputs.Count];
        for (int k = 0; k < outputs.Count; k++)
            rows[k] = autograd.grad(new[] { denoised[.., outputs[k]].sum() }, new[] { input }, retain_graph: k < outputs.Count - 1)[0];
        var jacobian = outputs.Count > 0 ? stack(rows, 1) : zeros(thetaT.shape[0], 0, thetaT.shape[1], dtype: thetaT.dtype, device: thetaT.device);
        return (denoised.detach().MoveToOuterDisposeScope(), jacobian.detach().MoveToOuterDisposeScope());
    }

    /// <summary>The denoised mean (B, D) and the denoising covariance Cov[θ | θ_t] = (σ²/α)·sym(∂θ̂/∂θ_t), (B, D, D).</summary>
    public static (Tensor Denoised, Tensor Covariance) Covariance(IDenoiser denoiser, Tensor thetaT, Tensor logSnr, Tensor x)
    {
        using var scope = NewDisposeScope();
        var (denoised, jacobian) = Compute(denoiser, thetaT, logSnr, x, Enumerable.Range(0, denoiser.ParameterDimension).ToArray());
        var (alpha, sigma) = denoiser.Schedule.Scales(logSnr);
        var factor = (sigma.square() / alpha).unsqueeze(2);
        var covariance = factor * 0.5 * (jacobian + jacobian.transpose(1, 2));
        return (denoised.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }
}
