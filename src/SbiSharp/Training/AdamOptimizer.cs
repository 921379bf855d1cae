using TorchSharp;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Training;

/// <summary>Adam with optional decoupled weight decay (AdamW), owning its state so that disposing it frees every tensor.</summary>
/// <remarks>
/// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ(1 − ηλ) − η m̂ / (√v̂ + ε) with bias corrections
/// (Kingma &amp; Ba 2015, arXiv:1412.6980; Loshchilov &amp; Hutter 2019, arXiv:1711.05101). Updates happen in place under no_grad.
/// </remarks>
internal sealed class AdamOptimizer : IDisposable
{
    private readonly Tensor[] _parameters;
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _weightDecay;
    private long _steps;

    public AdamOptimizer(IEnumerable<Tensor> parameters, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        using (no_grad())
        {
            _m = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            _v = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        }
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        _weightDecay = weightDecay;
    }

    /// <summary>Steps taken (the bias corrections depend on it); set when resuming from a checkpoint.</summary>
    public long Steps { get => _steps; set => _steps = value; }

    /// <summary>First and second moments, one tensor per parameter, as named sets for checkpoints.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> FirstMoments => Estimators.ModelFile.Numbered(_m);

    /// <inheritdoc cref="FirstMoments"/>
    public IReadOnlyList<(string Name, Tensor Value)> SecondMoments => Estimators.ModelFile.Numbered(_v);

    /// <summary>Current learning rate η.</summary>
    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            var g = p.grad;
            if (g is not null) g.zero_();
        }
    }

    public void Step()
    {
        _steps++;
        var correction1 = 1 - Math.Pow(_beta1, _steps);
        var correction2 = 1 - Math.Pow(_beta2, _steps);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // Every Scalar lives in a local for the whole step: a temporary Scalar passed straight into an op can be finalized by
        // the GC while libtorch still reads it (seen twice in long training runs: a segfault and "toFloat" on a freed Scalar).
        using var decay = (1 - LearningRate * _weightDecay).ToScalar();
        using var beta1 = _beta1.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var correction2Scalar = correction2.ToScalar();
        using var epsilon = _epsilon.ToScalar();
        using var stepSize = (-LearningRate / correction1).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var g = p.grad;
            if (g is null) continue;
            if (_weightDecay > 0) p.mul_(decay);
            _m[i].mul_(beta1).add_(g, alpha: oneMinusBeta1);
            _v[i].mul_(beta2).addcmul_(g, g, value: oneMinusBeta2);
            var denominator = _v[i].div(correction2Scalar).sqrt_().add_(epsilon, ScalarMath.One);
            p.addcdiv_(_m[i], denominator, value: stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in _m) t.Dispose();
        foreach (var t in _v) t.Dispose();
    }
}
