using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.Simulators;

/// <summary>A simulator given as a batched tensor function (B, Dθ) → (B, Dx): the fast path.</summary>
public sealed class TensorSimulator : ISimulator
{
    private readonly Func<Tensor, Generator?, Tensor> _function;

    /// <summary>Wraps <paramref name="function"/>.</summary>
    /// <param name="parameterDimension">Dθ, positive.</param>
    /// <param name="observationDimension">Dx, positive.</param>
    /// <param name="function">Maps θ (B, Dθ) and a generator to x (B, Dx); must not dispose its input.</param>
    public TensorSimulator(int parameterDimension, int observationDimension, Func<Tensor, Generator?, Tensor> function)
    {
        Check.PositiveValue(parameterDimension, nameof(parameterDimension));
        Check.PositiveValue(observationDimension, nameof(observationDimension));
        ArgumentNullException.ThrowIfNull(function);
        ParameterDimension = parameterDimension;
        ObservationDimension = observationDimension;
        _function = function;
    }

    /// <inheritdoc />
    public int ParameterDimension { get; }

    /// <inheritdoc />
    public int ObservationDimension { get; }

    /// <inheritdoc />
    public Tensor Simulate(Tensor theta, Generator? generator = null)
    {
        Check.Matrix(theta, ParameterDimension, nameof(theta), "to match the simulator's parameter dimension");
        return _function(theta, generator);
    }
}
