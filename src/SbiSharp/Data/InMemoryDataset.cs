using SbiSharp.Internal;
using SbiSharp.Simulators;
using static TorchSharp.torch;

namespace SbiSharp.Data;

/// <summary>A fixed set of simulated pairs held in memory (offline training). Owns its tensors.</summary>
public sealed class InMemoryDataset : ISplittableDataset, IDisposable
{
    private readonly Tensor _theta;
    private readonly Tensor _x;

    /// <summary>Copies <paramref name="theta"/> (N, Dθ) and <paramref name="x"/> (N, Dx).</summary>
    /// <exception cref="ArgumentException">Not matrices, row counts differ, no rows, or a value is not finite.</exception>
    public InMemoryDataset(Tensor theta, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(x);
        if (theta.dim() != 2) throw new ArgumentException($"`theta` must have shape (N, Dθ); got {Check.Shape(theta)}.", nameof(theta));
        if (x.dim() != 2) throw new ArgumentException($"`x` must have shape (N, Dx); got {Check.Shape(x)}.", nameof(x));
        Check.SameRows(theta, nameof(theta), x, nameof(x));
        if (theta.shape[0] == 0) throw new ArgumentException("`theta` must have at least one row; got 0.", nameof(theta));
        Check.Finite(theta, nameof(theta));
        Check.Finite(x, nameof(x));
        _theta = theta.to(ScalarType.Float32).clone().DetachFromDisposeScope();
        _x = x.to(ScalarType.Float32).clone().DetachFromDisposeScope();
    }

    /// <summary>Simulates <paramref name="count"/> pairs from <paramref name="joint"/> into memory.</summary>
    public static InMemoryDataset Simulate(JointSampler joint, long count, Generator? generator = null, long chunk = 10_000, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(joint);
        Check.PositiveValue(count, nameof(count));
        using var scope = NewDisposeScope();
        var thetas = new List<Tensor>();
        var xs = new List<Tensor>();
        long done = 0;
        while (done < count)
        {
            var batch = joint.Sample(Math.Min(chunk, count - done), generator);
            thetas.Add(batch.Theta);
            xs.Add(batch.X);
            done += batch.Count + batch.Dropped;
            progress?.Report(done);
        }
        return new InMemoryDataset(cat(thetas.ToArray(), 0), cat(xs.ToArray(), 0));
    }

    /// <inheritdoc />
    public int ParameterDimension => (int)_theta.shape[1];

    /// <inheritdoc />
    public int ObservationDimension => (int)_x.shape[1];

    /// <inheritdoc />
    public long? Count => _theta.shape[0];

    /// <summary>All parameters (N, Dθ); a view the dataset owns.</summary>
    public Tensor Theta => _theta;

    /// <summary>All observations (N, Dx); a view the dataset owns.</summary>
    public Tensor X => _x;

    /// <summary>Splits off a random validation set of round(fraction·N) rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside (0, 1) or leaves an empty part.</exception>
    public (InMemoryDataset Train, InMemoryDataset Validation) Split(double validationFraction, Generator? generator = null)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, $"`validationFraction` must lie in (0, 1); got {validationFraction}.");
        long n = _theta.shape[0];
        long nVal = (long)Math.Round(validationFraction * n);
        if (nVal < 1 || nVal >= n)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                $"`validationFraction` = {validationFraction} of {n} rows leaves an empty training or validation set.");
        using var scope = NewDisposeScope();
        var perm = randperm(n, generator: generator);
        var val = perm.narrow(0, 0, nVal);
        var train = perm.narrow(0, nVal, n - nVal);
        return (new InMemoryDataset(_theta.index_select(0, train), _x.index_select(0, train)),
                new InMemoryDataset(_theta.index_select(0, val), _x.index_select(0, val)));
    }

    /// <inheritdoc />
    (ISimulationDataset Train, InMemoryDataset Validation) ISplittableDataset.SplitValidation(double validationFraction, Generator? generator) =>
        Split(validationFraction, generator);

    /// <inheritdoc />
    public IEnumerable<SimulationBatch> Batches(int batchSize, int batches, Generator? generator)
    {
        Check.PositiveValue(batchSize, nameof(batchSize));
        long n = _theta.shape[0];
        var perm = randperm(n, generator: generator).DetachFromDisposeScope();
        try
        {
            for (long start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var idx = perm.narrow(0, start, Math.Min(batchSize, n - start));
                yield return new SimulationBatch(_theta.index_select(0, idx).MoveToOuterDisposeScope(), _x.index_select(0, idx).MoveToOuterDisposeScope());
            }
        }
        finally
        {
            perm.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _theta.Dispose();
        _x.Dispose();
    }
}
