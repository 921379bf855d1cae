using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>Keeps <c>target</c>'s parameters an exponential moving average of <c>source</c>'s.</summary>
/// <remarks>The effective decay min(decay, (1 + n)/(10 + n)) lets the average follow early training quickly.</remarks>
internal sealed class ExponentialMovingAverage
{
    private readonly (Tensor Target, Tensor Source)[] _pairs;
    private readonly double _decay;
    private long _updates;

    public ExponentialMovingAverage(nn.Module source, nn.Module target, double decay)
    {
        var s = source.parameters().ToArray();
        var t = target.parameters().ToArray();
        if (s.Length != t.Length) throw new InvalidOperationException("EMA modules differ in their parameters.");
        _pairs = t.Zip(s, (a, b) => ((Tensor)a, (Tensor)b)).ToArray();
        _decay = decay;
        CopyFromSource();
    }

    /// <summary>Updates so far (the effective decay depends on it); set when resuming from a checkpoint.</summary>
    public long Updates { get => _updates; set => _updates = value; }

    public void CopyFromSource()
    {
        using var noGrad = no_grad();
        foreach (var (target, source) in _pairs) target.copy_(source);
    }

    public void Update()
    {
        _updates++;
        var decay = Math.Min(_decay, (1.0 + _updates) / (10.0 + _updates));
        using var noGrad = no_grad();
        // Scalars held for the whole update (see AdamOptimizer.Step: temporaries can be finalized mid-op).
        using var keep = decay.ToScalar();
        using var blend = (1 - decay).ToScalar();
        foreach (var (target, source) in _pairs)
            target.mul_(keep).add_(source, alpha: blend);
    }
}
