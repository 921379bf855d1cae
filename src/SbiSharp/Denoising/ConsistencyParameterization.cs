using System.Text.Json.Serialization;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Denoising;

/// <summary>The boundary parameterization of a consistency model (Song et al. 2023, arXiv:2303.01469, Appendix C): f = c_skip(σ)·θ_VE + c_out(σ)·F with
/// c_skip = σ_d² / ((σ − σ_min)² + σ_d²) and c_out = σ_d (σ − σ_min) / √(σ_d² + σ²), σ = e^{−λ/2} the variance-exploding noise level and θ_VE = θ_t/α.</summary>
/// <remarks>
/// At σ = σ_min, c_skip = 1 and c_out = 0, so f(θ, σ_min) = θ exactly: the consistency function's boundary condition holds for every network. The output
/// is the clean-θ estimate f(θ_t, t) a consistency sampler jumps to, not the posterior mean E[θ | θ_t] (for σ → σ_min both coincide).
/// σ_min must be the smallest noise level the model is trained and sampled at: the schedule's e^{−λ_max/2} (0.002 for the EDM schedule).
/// </remarks>
public sealed class ConsistencyParameterization : Parameterization
{
    /// <summary>Default σ_min: the EDM schedule's smallest noise level.</summary>
    public const double DefaultSigmaMin = 0.002;

    /// <summary>Creates it.</summary>
    /// <param name="sigmaMin">σ_min &gt; 0, where f is the identity.</param>
    /// <param name="sigmaData">σ_data &gt; 0 (1 after standardization).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is not positive and finite.</exception>
    [JsonConstructor]
    public ConsistencyParameterization(double sigmaMin = DefaultSigmaMin, double sigmaData = 1.0)
    {
        Internal.Check.PositiveValue(sigmaMin, nameof(sigmaMin));
        Internal.Check.PositiveValue(sigmaData, nameof(sigmaData));
        SigmaMin = sigmaMin;
        SigmaData = sigmaData;
    }

    /// <summary>σ_min.</summary>
    public double SigmaMin { get; }

    /// <summary>σ_data.</summary>
    public double SigmaData { get; }

    /// <inheritdoc />
    public override string Name => "consistency-F";

    /// <summary>c_out(σ) = σ_d (σ − σ_min)/√(σ_d² + σ²) with σ = e^{−λ/2} (0 at σ_min), shape of <paramref name="logSnr"/>.</summary>
    public override Tensor OutputScale(Tensor logSnr, Tensor alpha, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        var s = logSnr.Mul(-0.5).exp();
        return (s.Sub(SigmaMin).Mul(SigmaData) / s.Square().Add(SigmaData * SigmaData).sqrt()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor ToDenoised(Tensor output, Tensor thetaT, Tensor logSnr, Tensor alpha, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        var s2 = SigmaData * SigmaData;
        var s = logSnr.Mul(-0.5).exp();
        var cSkip = s.Sub(SigmaMin).Square().Add(s2).RDiv(s2);
        return ((cSkip / alpha * thetaT).Plus(OutputScale(logSnr, alpha, sigma) * output)).MoveToOuterDisposeScope();
    }
}
