using SbiSharp.Denoising;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Guidance;

/// <summary>Classifier-free guidance: θ̂ = (1 + w)·θ̂(θ_t, x) − w·θ̂(θ_t, ∅), sharpening (w &gt; 0) or flattening (−1 &lt; w &lt; 0) the conditional part of the posterior.</summary>
/// <remarks>
/// Ho and Salimans 2022 (arXiv:2207.12598). w = 0 is the plain posterior; w = −1 samples the prior. The score becomes
/// s_∅ + (1 + w)(s_x − s_∅), i.e. the likelihood tempered to the power 1 + w (only approximately, at t &gt; 0). Needs a model
/// trained with condition dropout.
/// </remarks>
public sealed class ClassifierFreeGuidance : DenoiserGuidance
{
    /// <summary>Creates the guidance.</summary>
    /// <param name="weight">w ≥ −1, finite.</param>
    public ClassifierFreeGuidance(double weight)
    {
        if (!(weight >= -1 && double.IsFinite(weight)))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"`weight` must be finite and at least −1; got {weight}.");
        Weight = weight;
    }

    /// <summary>w.</summary>
    public double Weight { get; }

    /// <inheritdoc />
    public override IDenoiser Apply(IDenoiser inner, GuidanceContext context)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(context);
        var unconditional = context.Unconditional
            ?? throw new InvalidOperationException("Classifier-free guidance needs the model's unconditional denoiser: train with `ConditionDropout` > 0 (e.g. 0.1).");
        return new Mixed(inner, unconditional, Weight);
    }

    private sealed class Mixed(IDenoiser conditional, IDenoiser unconditional, double weight) : IDenoiser
    {
        public INoiseSchedule Schedule => conditional.Schedule;

        public int ParameterDimension => conditional.ParameterDimension;

        public Tensor Denoise(Tensor thetaT, Tensor logSnr, Tensor x)
        {
            using var scope = NewDisposeScope();
            var withX = conditional.Denoise(thetaT, logSnr, x);
            var without = unconditional.Denoise(thetaT, logSnr, x);
            return (withX.Mul((1 + weight)) - without.Mul(weight)).MoveToOuterDisposeScope();
        }
    }
}
