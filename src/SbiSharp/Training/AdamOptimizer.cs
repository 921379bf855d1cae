using TorchSharp;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Training;

/// <summary>Adam with optional decoupled weight decay (AdamW) on flat parameter and gradient buffers: six fused operations per step, whatever the number of parameter tensors.</summary>
/// <remarks>
/// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ(1 − ηλ) − η m̂ / (√v̂ + ε) with bias corrections
/// (Kingma &amp; Ba 2015, arXiv:1412.6980; Loshchilov &amp; Hutter 2019, arXiv:1711.05101). Updates happen in place under no_grad.
/// The moments are flat too; checkpoints see them as one tensor per parameter (<see cref="FirstMoments"/>).
/// </remarks>
internal sealed class AdamOptimizer : IDisposable
{
    private readonly FlatParameters _flat;
    private readonly Tensor _m;
    private readonly Tensor _v;
    private readonly Tensor[] _mViews;
    private readonly Tensor[] _vViews;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _weightDecay;
    private long _steps;

    public AdamOptimizer(FlatParameters parameters, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _flat = parameters;
        if (parameters.Gradients is null) throw new ArgumentException("The optimizer needs parameters flattened with their gradients.", nameof(parameters));
        using (no_grad())
        {
            _m = zeros_like(parameters.Values).DetachFromDisposeScope();
            _v = zeros_like(parameters.Values).DetachFromDisposeScope();
        }
        _mViews = parameters.ViewsOf(_m);
        _vViews = parameters.ViewsOf(_v);
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        _weightDecay = weightDecay;
    }

    /// <summary>Steps taken (the bias corrections depend on it); set when resuming from a checkpoint.</summary>
    public long Steps { get => _steps; set => _steps = value; }

    /// <summary>First and second moments, one tensor (a view of the flat moment) per parameter, as named sets for checkpoints.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> FirstMoments => Estimators.ModelFile.Numbered(_mViews);

    /// <inheritdoc cref="FirstMoments"/>
    public IReadOnlyList<(string Name, Tensor Value)> SecondMoments => Estimators.ModelFile.Numbered(_vViews);

    /// <summary>Current learning rate η.</summary>
    public double LearningRate { get; set; }

    public void ZeroGrad() => _flat.ZeroGradients();

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
        var p = _flat.Values;
        var g = _flat.Gradients!;
        if (_weightDecay > 0) p.mul_(decay);
        _m.mul_(beta1).add_(g, alpha: oneMinusBeta1);
        _v.mul_(beta2).addcmul_(g, g, value: oneMinusBeta2);
        var denominator = _v.div(correction2Scalar).sqrt_().add_(epsilon, ScalarMath.One);
        p.addcdiv_(_m, denominator, value: stepSize);
    }

    public void Dispose()
    {
        foreach (var t in _mViews) t.Dispose();
        foreach (var t in _vViews) t.Dispose();
        _m.Dispose();
        _v.Dispose();
    }
}
