using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>Rows of the denoiser's Jacobian ∂θ̂/∂θ_t by backward passes, and the denoising covariance that Tweedie's formula gives from it.</summary>
/// <remarks>
/// Rows of a batch are independent, so one backward pass of Σ_b θ̂_{b,i} gives row i of every row's Jacobian. Tweedie's second-order
/// formula: Cov[θ | θ_t] = (σ²/α)·∂θ̂/∂θ_t (Efron 2011; used for posterior covariances by Boys et al. 2023, arXiv:2310.06721, and
/// Linhart et al. 2024, arXiv:2404.07593). The exact Jacobian is symmetric; a network's is symmetrized.
/// </remarks>
internal static class DenoiserJacobian
{
    /// <summary>The denoised mean (B, D) and the Jacobian rows <paramref name="outputs"/>, (B, k, D).</summary>
    /// <remarks>Both are detached, unless <paramref name="thetaT"/> itself requires gradients (an outer guidance differentiates
    /// through this one): then they stay differentiable (double backward).</remarks>
    public static (Tensor Denoised, Tensor Rows) Compute(IDenoiser denoiser, Tensor thetaT, Tensor logSnr, Tensor x, IReadOnlyList<int> outputs)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var outer = thetaT.requires_grad;
        var input = outer ? thetaT : thetaT.detach().requires_grad_(true);
        var denoised = denoiser.Denoise(input, logSnr, x);
        RequireGradient(denoised, "denoiser output");
        var rows = new Tensor[outputs.Count];
        for (int k = 0; k < outputs.Count; k++)
            rows[k] = autograd.grad(new[] { denoised[.., outputs[k]].sum() }, new[] { input }, retain_graph: outer || k < outputs.Count - 1, create_graph: outer)[0];
        var jacobian = outputs.Count > 0 ? stack(rows, 1) : zeros(thetaT.shape[0], 0, thetaT.shape[1], dtype: thetaT.dtype, device: thetaT.device);
        if (!outer)
        {
            denoised = denoised.detach();
            jacobian = jacobian.detach();
        }
        return (denoised.MoveToOuterDisposeScope(), jacobian.MoveToOuterDisposeScope());
    }

    /// <summary>Throws a clear error instead of letting libtorch abort the process when a tensor has no gradient path.</summary>
    public static void RequireGradient(Tensor value, string what)
    {
        if (!value.requires_grad)
            throw new InvalidOperationException($"The {what} does not depend differentiably on θ_t, so no gradient can be taken through it; a wrapped denoiser detached its output (guidance that differentiates through the denoiser needs an inner denoiser built from torch operations).");
    }

    /// <summary>The denoised mean (B, D) and the denoising covariance Cov[θ | θ_t] = (σ²/α)·sym(∂θ̂/∂θ_t), (B, D, D).</summary>
    public static (Tensor Denoised, Tensor Covariance) Covariance(IDenoiser denoiser, Tensor thetaT, Tensor logSnr, Tensor x)
    {
        using var scope = NewDisposeScope();
        var (denoised, jacobian) = Compute(denoiser, thetaT, logSnr, x, Enumerable.Range(0, denoiser.ParameterDimension).ToArray());
        var (alpha, sigma) = denoiser.Schedule.Scales(logSnr);
        var factor = (sigma.Square() / alpha).unsqueeze(2);
        var covariance = factor.Mul(0.5) * (jacobian.Plus(jacobian.transpose(1, 2)));
        return (denoised.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }
}
