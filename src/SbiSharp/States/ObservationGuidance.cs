using SbiSharp.Denoising;
using SbiSharp.Guidance;
using static TorchSharp.torch;

namespace SbiSharp.States;

/// <summary>Linear-Gaussian observations of the diffused variable applied at sampling time, as a guidance term: the denoiser of p(x) becomes one of p(x | y)
/// by a <see cref="ZeroShotMethod"/> (MMPS by default), so every sampler, and every estimator that takes guidance, draws from the posterior unchanged.</summary>
/// <remarks>The observations are in original units; the guidance re-expresses them in the denoiser's standardized units (x = μ + s ⊙ z gives A' = A diag(s),
/// y' = y − A μ, the same noise). States half: x the state, y the observation. Needs an affine parameter space (no bounded transform).</remarks>
public sealed class ObservationGuidance : DenoiserGuidance
{
    /// <summary>Creates the guidance.</summary>
    /// <param name="observations">y = A x + η in original units.</param>
    /// <param name="method">How the likelihood enters; null: <see cref="MmpsMethod.Default"/>.</param>
    public ObservationGuidance(ObservationSet observations, ZeroShotMethod? method = null)
    {
        Observations = observations ?? throw new ArgumentNullException(nameof(observations));
        Method = method ?? MmpsMethod.Default;
    }

    /// <summary>The observations, original units.</summary>
    public ObservationSet Observations { get; }

    /// <summary>The zero-shot method.</summary>
    public ZeroShotMethod Method { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">States of another length, or a parameter space that is not affine.</exception>
    public override IDenoiser Apply(IDenoiser inner, GuidanceContext context)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Space.Transform.IsIdentity)
            throw new ArgumentException("Observations of the state need the model to learn in the state's own (affinely standardized) units; this model learns through a bounded transform. Train it with the identity transform.", nameof(context));
        var standardizer = context.Space.Standardizer;
        if (standardizer.Dimension != Observations.InputDimension)
            throw new ArgumentException($"The observations are of states of length {Observations.InputDimension}; the model's have {standardizer.Dimension}.", nameof(context));
        return Method.Wrap(inner, Standardize(Observations, standardizer.Mean, standardizer.Std));
    }

    /// <summary>The observations seen from z = (x − μ)/s.</summary>
    internal static ObservationSet Standardize(ObservationSet observations, double[] mean, double[] std)
    {
        using var scope = NewDisposeScope();
        var mu = tensor(mean, new long[] { 1, mean.Length }, dtype: ScalarType.Float64);
        var parts = observations.Parts.Select(p =>
        {
            var shift = p.Operator.Apply(mu).data<double>().ToArray();
            var y = p.Values.Select((v, i) => v - shift[i]).ToArray();
            return new LinearGaussianObservation(new StandardizedOperator(p.Operator, std), y, p.NoiseVariances);
        }).ToArray();
        return new ObservationSet(parts);
    }
}
