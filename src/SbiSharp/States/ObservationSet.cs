using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>Several observations of one state, y_k = A_k x + η_k with independent noises, stacked into one: A = [A₁; A₂; …], Σ_y = diag(Σ₁, Σ₂, …).
/// Their log-likelihoods add; stacking (not adding separate approximate scores) keeps the zero-shot samplers exact for Gaussian priors.</summary>
public sealed class ObservationSet : ILinearOperator
{
    private readonly LinearGaussianObservation[] _parts;

    /// <summary>Stacks <paramref name="observations"/>, all of states of the same length.</summary>
    /// <exception cref="ArgumentException">None, or operators of different input lengths.</exception>
    public ObservationSet(params LinearGaussianObservation[] observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Length == 0) throw new ArgumentException("`observations` must hold at least one observation; got none.", nameof(observations));
        var d = observations[0].Operator.InputDimension;
        for (int k = 1; k < observations.Length; k++)
            if (observations[k].Operator.InputDimension != d)
                throw new ArgumentException($"Every observation must be of states of length {d} (observation 0's); observation {k} ('{observations[k].Operator.Name}') takes {observations[k].Operator.InputDimension}.", nameof(observations));
        _parts = observations.ToArray();
        InputDimension = d;
        OutputDimension = _parts.Sum(p => p.Operator.OutputDimension);
    }

    /// <summary>The stacked observations.</summary>
    public IReadOnlyList<LinearGaussianObservation> Parts => _parts;

    /// <inheritdoc />
    public int InputDimension { get; }

    /// <inheritdoc />
    public int OutputDimension { get; }

    /// <inheritdoc />
    public string Name => string.Join("+", _parts.Select(p => p.Operator.Name));

    /// <summary>y stacked, (1, M) in <paramref name="dtype"/>.</summary>
    public Tensor Values(ScalarType dtype, Device? device = null) =>
        tensor(_parts.SelectMany(p => p.Values).ToArray(), new long[] { 1, OutputDimension }, dtype: dtype, device: device);

    /// <summary>The diagonal of Σ_y stacked, (1, M) in <paramref name="dtype"/>.</summary>
    public Tensor NoiseVariances(ScalarType dtype, Device? device = null) =>
        tensor(_parts.SelectMany(p => p.NoiseVariances).ToArray(), new long[] { 1, OutputDimension }, dtype: dtype, device: device);

    /// <inheritdoc />
    public Tensor Apply(Tensor x)
    {
        OperatorChecks.Input(this, x);
        if (_parts.Length == 1) return _parts[0].Operator.Apply(x);
        using var scope = NewDisposeScope();
        return cat(_parts.Select(p => p.Operator.Apply(x)).ToArray(), 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Transpose(Tensor y)
    {
        OperatorChecks.Output(this, y);
        if (_parts.Length == 1) return _parts[0].Operator.Transpose(y);
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        long offset = 0;
        foreach (var p in _parts)
        {
            var m = p.Operator.OutputDimension;
            var part = p.Operator.Transpose(y.narrow(1, offset, m));
            sum = sum is null ? part : sum.Plus(part);
            offset += m;
        }
        return sum!.MoveToOuterDisposeScope();
    }
}
