using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>The denoiser at x_t with its graph kept, for matrix-free products with Tweedie's covariance V[x | x_t] = (σ²/α)·∂E[x | x_t]/∂x_t.</summary>
/// <remarks>Products are vector–Jacobian products (backward passes): Jᵀv = ∇_{x_t}(vᵀE[x | x_t]). The Jacobian of an exact denoiser is symmetric, so Jᵀv is
/// also J v; for a network it is the usual approximation (azula, Rozet et al. 2024). Owns its tensors; dispose it.</remarks>
internal sealed class TweedieLinearization : IDisposable
{
    private readonly Tensor _input;
    private readonly Tensor _output;
    private readonly Tensor _factor;

    public TweedieLinearization(IDenoiser denoiser, Tensor xT, Tensor logSnr, Tensor condition)
    {
        using var grad = enable_grad();
        _input = xT.detach().requires_grad_(true);
        LogSnr = logSnr;
        _output = denoiser.Denoise(_input, logSnr, condition);
        DenoiserJacobian.RequireGradient(_output, "prior denoiser's output");
        var (alpha, sigma) = denoiser.Schedule.Scales(logSnr);
        using (alpha)
        using (sigma)
            _factor = (sigma.Square() / alpha).to(xT.dtype);
        Denoised = _output.detach();
    }

    /// <summary>λ of each row, (B, 1) (the caller's tensor, not owned).</summary>
    public Tensor LogSnr { get; }

    /// <summary>E[x | x_t], (B, D), detached.</summary>
    public Tensor Denoised { get; }

    /// <summary>Jᵀ v for v (B, D).</summary>
    public Tensor JacobianTranspose(Tensor v)
    {
        using var grad = enable_grad();
        using var product = (_output * v.detach()).sum();
        return autograd.grad(new[] { product }, new[] { _input }, retain_graph: true)[0];
    }

    /// <summary>V v = (σ²/α)·Jᵀv, (B, D).</summary>
    public Tensor Covariance(Tensor v)
    {
        using var jv = JacobianTranspose(v);
        return jv * _factor;
    }

    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
        _factor.Dispose();
        Denoised.Dispose();
    }
}
