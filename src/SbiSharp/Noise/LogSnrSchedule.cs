using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Noise;

/// <summary>Base of schedules defined by a log-SNR path λ(t) and a <see cref="VarianceForm"/> that turns λ into (α, σ).</summary>
/// <remarks>Training draws t uniformly and uses λ(t) unless a subclass overrides <see cref="TrainingLogSnr"/>.</remarks>
public abstract class LogSnrSchedule : INoiseSchedule
{
    /// <summary>Creates the base with the form of its α/σ map.</summary>
    protected LogSnrSchedule(VarianceForm form) => Form = form;

    /// <summary>How α and σ follow from λ.</summary>
    public VarianceForm Form { get; }

    /// <inheritdoc />
    public double LogSnrMin => LogSnr(1);

    /// <inheritdoc />
    public double LogSnrMax => LogSnr(0);

    /// <inheritdoc />
    public abstract double LogSnr(double t);

    /// <inheritdoc />
    public abstract double LogSnrDerivative(double t);

    /// <summary>λ(t) for a tensor of times in [0, 1] (any shape).</summary>
    protected abstract Tensor LogSnr(Tensor t);

    /// <inheritdoc />
    public virtual Tensor TrainingLogSnr(Tensor u)
    {
        ArgumentNullException.ThrowIfNull(u);
        using var scope = NewDisposeScope();
        return LogSnr(u.to(ScalarType.Float64).Clamp(0, 1)).to(u.dtype).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (double Alpha, double Sigma) Scales(double logSnr) => VarianceForms.Scales(Form, logSnr);

    /// <inheritdoc />
    public (Tensor Alpha, Tensor Sigma) Scales(Tensor logSnr) => VarianceForms.Scales(Form, logSnr);

    /// <inheritdoc />
    public double LogAlphaDerivative(double logSnr) => VarianceForms.LogAlphaDerivative(Form, logSnr);

    /// <summary>Throws unless <paramref name="t"/> lies in [0, 1].</summary>
    protected static double CheckTime(double t) =>
        t is >= 0 and <= 1 ? t : throw new ArgumentOutOfRangeException(nameof(t), t, $"`t` must lie in [0, 1]; got {t}.");
}
