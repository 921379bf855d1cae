using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>Keeps a target module's flat parameters an exponential moving average of a source's: two fused operations per update.</summary>
/// <remarks>The effective decay min(decay, (1 + n)/(10 + n)) lets the average follow early training quickly.</remarks>
internal sealed class ExponentialMovingAverage
{
    private readonly FlatParameters _source;
    private readonly FlatParameters _target;
    private readonly double _decay;
    private long _updates;

    public ExponentialMovingAverage(FlatParameters source, FlatParameters target, double decay)
    {
        if (source.Values.numel() != target.Values.numel() || source.Count != target.Count)
            throw new InvalidOperationException("EMA modules differ in their parameters.");
        _source = source;
        _target = target;
        _decay = decay;
        CopyFromSource();
    }

    /// <summary>Updates so far (the effective decay depends on it); set when resuming from a checkpoint.</summary>
    public long Updates { get => _updates; set => _updates = value; }

    public void CopyFromSource()
    {
        using var noGrad = no_grad();
        _target.Values.copy_(_source.Values);
    }

    public void Update()
    {
        _updates++;
        var decay = Math.Min(_decay, (1.0 + _updates) / (10.0 + _updates));
        using var noGrad = no_grad();
        // Scalars held for the whole update (see AdamOptimizer.Step: temporaries can be finalized mid-op).
        using var keep = decay.ToScalar();
        using var blend = (1 - decay).ToScalar();
        _target.Values.mul_(keep).add_(_source.Values, alpha: blend);
    }
}
