using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>One observation y = A x + η, η ~ N(0, diag(Σ_y)), of a state x (states half: x the state, y the observation).</summary>
public sealed class LinearGaussianObservation
{
    private readonly double[] _y;
    private readonly double[] _variance;

    /// <summary>Creates the observation with a scalar noise variance.</summary>
    /// <param name="op">A.</param>
    /// <param name="y">The observed values, length M.</param>
    /// <param name="noiseVariance">Σ_y = this·I, &gt; 0.</param>
    public LinearGaussianObservation(ILinearOperator op, IReadOnlyList<double> y, double noiseVariance)
        : this(op, y, Enumerable.Repeat(noiseVariance, op?.OutputDimension ?? 0).ToArray())
    {
    }

    /// <summary>Creates the observation with a diagonal noise covariance.</summary>
    /// <param name="op">A.</param>
    /// <param name="y">The observed values, length M.</param>
    /// <param name="noiseVariances">The diagonal of Σ_y, length M, each &gt; 0.</param>
    /// <exception cref="ArgumentException">Lengths that do not match A's output, or a non-finite value or non-positive variance.</exception>
    public LinearGaussianObservation(ILinearOperator op, IReadOnlyList<double> y, IReadOnlyList<double> noiseVariances)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(noiseVariances);
        if (y.Count != op.OutputDimension) throw new ArgumentException($"`y` must have one value per output of '{op.Name}' ({op.OutputDimension}); got {y.Count}.", nameof(y));
        if (noiseVariances.Count != op.OutputDimension)
            throw new ArgumentException($"`noiseVariances` must have one variance per output of '{op.Name}' ({op.OutputDimension}); got {noiseVariances.Count}.", nameof(noiseVariances));
        _y = Internal.Check.FiniteArray(y.ToArray(), nameof(y));
        _variance = noiseVariances.ToArray();
        Internal.Check.Positive(_variance, "noiseVariances");
        Operator = op;
    }

    /// <summary>A.</summary>
    public ILinearOperator Operator { get; }

    /// <summary>y.</summary>
    public IReadOnlyList<double> Values => _y;

    /// <summary>The diagonal of Σ_y.</summary>
    public IReadOnlyList<double> NoiseVariances => _variance;

    /// <summary>Simulates y = A x + η for one state <paramref name="state"/> (length D) with <paramref name="noiseVariance"/> and <paramref name="seed"/>.</summary>
    public static LinearGaussianObservation Simulate(ILinearOperator op, IReadOnlyList<double> state, double noiseVariance, int seed)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != op.InputDimension) throw new ArgumentException($"`state` must have {op.InputDimension} entries for '{op.Name}'; got {state.Count}.", nameof(state));
        Internal.Check.PositiveValue(noiseVariance, nameof(noiseVariance));
        using var scope = NewDisposeScope();
        var x = tensor(state.ToArray(), new long[] { 1, state.Count }, dtype: ScalarType.Float64);
        using var generator = new Generator((ulong)seed);
        var clean = op.Apply(x);
        var noise = randn(clean.shape, dtype: ScalarType.Float64, generator: generator);
        var y = clean.Plus(noise, Math.Sqrt(noiseVariance));
        return new LinearGaussianObservation(op, y.data<double>().ToArray(), noiseVariance);
    }
}
