using static TorchSharp.torch;

namespace SbiSharp.Denoising;

/// <summary>The EDM "F" parameterization: θ̂ = c_skip·θ_t + c_out·F, with the noise-space loss and EDM weighting.</summary>
/// <remarks>
/// In log-SNR form (BayesFlow): c_skip = σ_d² α / (e^{−λ} + σ_d²), c_out = e^{−λ/2} σ_d / √(e^{−λ} + σ_d²)
/// (Karras et al. 2022, arXiv:2206.00364, Table 1). The loss is w(λ)·mean((ε̂ − ε)²) with ε̂ = (θ_t − α θ̂)/σ and
/// w(λ) = 1 + e^{−λ}/σ_d², which equals EDM's weighting in data space.
/// </remarks>
public sealed class EdmPreconditioning
{
    /// <summary>Creates it for data standard deviation <paramref name="sigmaData"/>.</summary>
    public EdmPreconditioning(double sigmaData = 1.0)
    {
        Internal.Check.PositiveValue(sigmaData, nameof(sigmaData));
        SigmaData = sigmaData;
    }

    /// <summary>σ_data.</summary>
    public double SigmaData { get; }

    /// <summary>Converts the network output F to the denoised mean.</summary>
    /// <param name="output">Network output, (B, D).</param>
    /// <param name="thetaT">Noisy input, (B, D).</param>
    /// <param name="logSnr">λ per row, (B, 1).</param>
    /// <param name="alpha">α per row, (B, 1).</param>
    public Tensor ToDenoised(Tensor output, Tensor thetaT, Tensor logSnr, Tensor alpha)
    {
        using var scope = NewDisposeScope();
        var s2 = SigmaData * SigmaData;
        var expNeg = (-logSnr).exp();
        var cSkip = s2 * alpha / (expNeg + s2);
        var cOut = (-0.5 * logSnr).exp() * SigmaData / (expNeg + s2).sqrt();
        return (cSkip * thetaT + cOut * output).MoveToOuterDisposeScope();
    }

    /// <summary>Per-row loss weight w(λ) = 1 + e^{−λ}/σ_d², shape of <paramref name="logSnr"/>.</summary>
    public Tensor Weight(Tensor logSnr) => 1 + (-logSnr).exp() / (SigmaData * SigmaData);

    /// <summary>Weighted noise loss: mean over rows of w(λ)·mean_d (ε̂ − ε)².</summary>
    public Tensor Loss(Tensor denoised, Tensor thetaT, Tensor noise, Tensor logSnr, Tensor alpha, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        var noisePred = (thetaT - alpha * denoised) / sigma;
        var perRow = (noisePred - noise).square().mean(new long[] { 1 }, keepdim: true);
        return (Weight(logSnr) * perRow).mean().MoveToOuterDisposeScope();
    }
}
