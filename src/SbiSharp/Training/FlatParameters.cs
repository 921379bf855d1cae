using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>A module's parameters (and, for the trained module, their gradients) made views into one contiguous buffer each, so that the
/// optimizer, the moving average and gradient clipping are a handful of fused operations per step instead of several per parameter.</summary>
/// <remarks>
/// Each parameter's storage is replaced (<c>set_</c>, under no_grad) by a view of <see cref="Values"/> holding the same numbers, and its
/// <c>grad</c> by a view of <see cref="Gradients"/>; autograd accumulates into an existing gradient in place, so backward fills the flat
/// buffer. Zero the gradients with <see cref="ZeroGradients"/> (never set them to null). The parameters stay ordinary tensors of the
/// module: saving, loading (copy_) and evaluation are unchanged. Moving the module to another device after flattening would break the
/// sharing, so the trainer flattens at the start of a run, on the module's device. Needs one dtype and device for all parameters.
/// </remarks>
internal sealed class FlatParameters : IDisposable
{
    private readonly Tensor[] _parameters;
    private readonly long[] _offsets;

    /// <summary>Flattens <paramref name="parameters"/> in order.</summary>
    /// <param name="parameters">The module's parameters.</param>
    /// <param name="withGradients">Also give every parameter a gradient that is a view of <see cref="Gradients"/>.</param>
    public FlatParameters(IReadOnlyList<Tensor> parameters, bool withGradients)
    {
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("No parameters to flatten.", nameof(parameters));
        var dtype = _parameters[0].dtype;
        var device = _parameters[0].device;
        if (_parameters.Any(p => p.dtype != dtype || p.device.ToString() != device.ToString()))
            throw new ArgumentException("Flat buffers need every parameter on one device with one dtype.", nameof(parameters));
        _offsets = new long[_parameters.Length + 1];
        for (int i = 0; i < _parameters.Length; i++) _offsets[i + 1] = _offsets[i] + _parameters[i].numel();
        using var noGrad = no_grad();
        Values = empty(new[] { _offsets[^1] }, dtype: dtype, device: device);
        Gradients = withGradients ? zeros(new[] { _offsets[^1] }, dtype: dtype, device: device) : null;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            using var view = ViewOf(Values, i);
            view.copy_(p);
            p.set_(view); // returns p itself (TorchSharp 0.107): nothing to dispose
            if (Gradients is not null)
            {
                using var gradient = ViewOf(Gradients, i);
                p.grad = gradient; // autograd keeps its own reference
            }
        }
    }

    /// <summary>All parameter values, (N,).</summary>
    public Tensor Values { get; }

    /// <summary>All gradients, (N,), or null when flattened without them.</summary>
    public Tensor? Gradients { get; }

    /// <summary>Number of parameters (tensors).</summary>
    public int Count => _parameters.Length;

    /// <summary>The slice of a flat buffer <paramref name="buffer"/> that belongs to parameter <paramref name="index"/>, in its shape (a view; dispose it).</summary>
    public Tensor ViewOf(Tensor buffer, int index)
    {
        using var slice = buffer.narrow(0, _offsets[index], _offsets[index + 1] - _offsets[index]);
        return slice.view(_parameters[index].shape);
    }

    /// <summary>Per-parameter views of a flat buffer, for checkpoints that store one tensor per parameter.</summary>
    public Tensor[] ViewsOf(Tensor buffer) => Enumerable.Range(0, Count).Select(i => ViewOf(buffer, i)).ToArray();

    /// <summary>Zeroes every gradient with one operation.</summary>
    public void ZeroGradients()
    {
        if (Gradients is null) return;
        var result = Gradients.zero_();
        if (!ReferenceEquals(result, Gradients)) result.Dispose(); // TorchSharp 0.107 returns a second handle on the same tensor
    }

    /// <summary>Scales the gradients so that their global L2 norm is at most <paramref name="maxNorm"/> (as <c>clip_grad_norm_</c>); returns the norm before clipping.</summary>
    public double ClipGradients(double maxNorm)
    {
        if (Gradients is null) throw new InvalidOperationException("These parameters were flattened without gradients.");
        using var noGrad = no_grad();
        using var norm = Gradients.norm();
        var total = norm.item<float>();
        // clip_grad_norm_'s rule: multiply by min(1, max / (norm + 1e-6)).
        var factor = maxNorm / (total + 1e-6);
        if (factor < 1)
        {
            using var scale = factor.ToScalar();
            Gradients.mul_(scale);
        }
        return total;
    }

    /// <summary>Releases the buffer handles; the parameters keep their storage (it is reference counted by libtorch).</summary>
    public void Dispose()
    {
        Values.Dispose();
        Gradients?.Dispose();
    }
}
