using SbiSharp.Internal;
using SbiSharp.Priors;
using static TorchSharp.torch;

namespace SbiSharp.Simulators;

/// <summary>Draws (θ, x) pairs: θ from the prior, x from the simulator, with validation of every row.</summary>
public sealed class JointSampler
{
    /// <summary>Combines <paramref name="prior"/> and <paramref name="simulator"/>.</summary>
    /// <exception cref="ArgumentException">Their parameter dimensions differ.</exception>
    public JointSampler(IPrior prior, ISimulator simulator, InvalidSimulationPolicy invalidRows = InvalidSimulationPolicy.Throw)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(simulator);
        if (prior.Dimension != simulator.ParameterDimension)
            throw new ArgumentException(
                $"The prior has dimension {prior.Dimension} but the simulator takes {simulator.ParameterDimension} parameters.", nameof(simulator));
        Prior = prior;
        Simulator = simulator;
        InvalidRows = invalidRows;
    }

    /// <summary>The prior p(θ).</summary>
    public IPrior Prior { get; }

    /// <summary>The simulator p(x | θ).</summary>
    public ISimulator Simulator { get; }

    /// <summary>What happens to rows with NaN or infinite observations.</summary>
    public InvalidSimulationPolicy InvalidRows { get; }

    /// <summary>Draws <paramref name="n"/> pairs (fewer when rows are dropped).</summary>
    /// <exception cref="SimulationException">An observation is not finite (policy Throw) or has the wrong shape.</exception>
    public SimulationBatch Sample(long n, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var theta = Prior.Sample(n, generator);
        var x = Simulator.Simulate(theta, generator);
        var (validTheta, validX, dropped) = Validate(theta, x, Simulator.ObservationDimension, InvalidRows);
        return new SimulationBatch(validTheta.MoveToOuterDisposeScope(), validX.MoveToOuterDisposeScope(), dropped);
    }

    /// <summary>Checks simulator output <paramref name="x"/> for <paramref name="theta"/> and applies the policy.</summary>
    internal static (Tensor Theta, Tensor X, long Dropped) Validate(Tensor theta, Tensor x, int observationDimension, InvalidSimulationPolicy policy)
    {
        if (x.dim() != 2 || x.shape[0] != theta.shape[0] || x.shape[1] != observationDimension)
            throw new SimulationException(
                $"The simulator must return shape ({theta.shape[0]}, {observationDimension}) for θ of shape {Check.Shape(theta)}; got {Check.Shape(x)}.", -1, Array.Empty<double>());
        var rowOk = isfinite(x).all(1);
        var bad = (long)rowOk.logical_not().sum().item<long>();
        if (bad == 0) return (theta, x.to(ScalarType.Float32), 0);
        if (policy == InvalidSimulationPolicy.Throw)
        {
            var row = (int)rowOk.logical_not().nonzero()[0, 0].item<long>();
            var th = Tensors.ToDoubles(theta[row]);
            var xs = Tensors.ToDoubles(x[row]);
            throw new SimulationException(
                $"The simulator returned non-finite values {Check.Format(xs)} at batch row {row} for θ = {Check.Format(th)} ({bad} bad rows in this batch). " +
                "Fix the simulator, or drop such rows with InvalidSimulationPolicy.Drop (--drop-invalid).", row, th);
        }
        var keep = rowOk.nonzero().squeeze(1);
        return (theta.index_select(0, keep), x.index_select(0, keep).to(ScalarType.Float32), bad);
    }
}
