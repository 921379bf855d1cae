using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.Simulators;

/// <summary>A simulator given as a plain per-sample C# function, run in parallel over the cores.</summary>
/// <remarks>
/// Each row gets its own <see cref="Random"/> seeded from the torch generator, so results do not depend on the
/// thread schedule: same generator state, same observations. The function runs outside torch (plain arrays), so
/// no tensors are created on worker threads.
/// </remarks>
public sealed class PerSampleSimulator : ISimulator
{
    private readonly Func<double[], Random, double[]> _function;
    private readonly int _maxParallelism;

    /// <summary>Wraps <paramref name="function"/>.</summary>
    /// <param name="parameterDimension">Dθ, positive.</param>
    /// <param name="observationDimension">Dx, positive; every call must return this many values.</param>
    /// <param name="function">Maps one θ (length Dθ) and a row-private random source to one x (length Dx). Must be thread-safe.</param>
    /// <param name="maxParallelism">Worker threads; −1 uses all cores.</param>
    public PerSampleSimulator(int parameterDimension, int observationDimension, Func<double[], Random, double[]> function, int maxParallelism = -1)
    {
        Check.PositiveValue(parameterDimension, nameof(parameterDimension));
        Check.PositiveValue(observationDimension, nameof(observationDimension));
        ArgumentNullException.ThrowIfNull(function);
        if (maxParallelism == 0 || maxParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxParallelism), maxParallelism, $"`maxParallelism` must be positive or -1 (all cores); got {maxParallelism}.");
        ParameterDimension = parameterDimension;
        ObservationDimension = observationDimension;
        _function = function;
        _maxParallelism = maxParallelism;
    }

    /// <inheritdoc />
    public int ParameterDimension { get; }

    /// <inheritdoc />
    public int ObservationDimension { get; }

    /// <inheritdoc />
    /// <exception cref="SimulationException">The function threw or returned the wrong number of values for some row.</exception>
    public Tensor Simulate(Tensor theta, Generator? generator = null)
    {
        Check.Matrix(theta, ParameterDimension, nameof(theta), "to match the simulator's parameter dimension");
        var rows = (int)theta.shape[0];
        var input = Tensors.ToDoubles(theta);
        long[] seeds;
        using (var s = randint(0, int.MaxValue, new long[] { rows }, dtype: ScalarType.Int64, generator: generator))
            seeds = s.data<long>().ToArray();
        var output = new double[(long)rows * ObservationDimension];
        var options = new ParallelOptions { MaxDegreeOfParallelism = _maxParallelism };
        try
        {
            RunRows(rows, input, seeds, output, options);
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault() is SimulationException first)
        {
            throw first;
        }
        return tensor(output, new long[] { rows, ObservationDimension }, dtype: ScalarType.Float32);
    }

    private void RunRows(int rows, double[] input, long[] seeds, double[] output, ParallelOptions options)
    {
        Parallel.For(0, rows, options, row =>
        {
            var th = new double[ParameterDimension];
            Array.Copy(input, (long)row * ParameterDimension, th, 0, ParameterDimension);
            double[] x;
            try
            {
                x = _function(th, new Random((int)seeds[row]));
            }
            catch (Exception e)
            {
                throw new SimulationException($"The simulator threw at batch row {row} for θ = {Check.Format(th)}: {e.Message}", row, th, e);
            }
            if (x is null || x.Length != ObservationDimension)
                throw new SimulationException(
                    $"The simulator returned {(x is null ? "null" : x.Length + " values")} at batch row {row} for θ = {Check.Format(th)}; expected {ObservationDimension}.", row, th);
            Array.Copy(x, 0, output, (long)row * ObservationDimension, ObservationDimension);
        });
    }
}
