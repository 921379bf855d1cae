using SbiSharp.Denoising;
using SbiSharp.Noise;
using TorchSharp;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Training;

/// <summary>
/// Importance sampling of the training noise levels: draws u from q(u) ∝ (1 − ρ)·W(u)/E W + ρ instead of uniformly and divides
/// each row's loss weight by q(u), so the objective's expectation is unchanged while the output-space weights W/q stay close to
/// E W (W: the weight an error of the network output carries, see <see cref="ObjectiveConditioning"/>).
/// </summary>
/// <remarks>
/// q is piecewise constant on <see cref="Cells"/> cells whose edges are uniform in logit(u) over [−25, 25] (so the cells shrink
/// geometrically towards u = 0 and 1, where the schedules' quantile maps and heavy-tailed weightings change fastest), which makes
/// its inverse CDF exact and cheap (one searchsorted). The uniform share ρ = <see cref="UniformShare"/> keeps every noise level
/// of the schedule's training range in the batches.
/// </remarks>
internal sealed class NoiseLevelProposal : IDisposable
{
    /// <summary>Cells of the piecewise-constant proposal over u ∈ [0, 1].</summary>
    public const int Cells = 16_384;

    /// <summary>Share of the proposal that stays uniform in u.</summary>
    public const double UniformShare = 0.1;

    private const double LogitRange = 25;

    // The tables as CPU tensors, built in torch and made once: large managed arrays (here or per batch) mean large-object-heap
    // allocations, and the GCs they trigger are what lets TorchSharp's finalizer free a temporary Scalar mid-op.
    private readonly Tensor _edges;
    private readonly Tensor _density;
    private readonly Tensor _cdf;

    public NoiseLevelProposal(INoiseSchedule schedule, Parameterization prediction, Parameterization loss, LossWeighting weighting)
    {
        using var scope = NewDisposeScope();
        var logits = linspace(-LogitRange, LogitRange, Cells + 1, dtype: ScalarType.Float64);
        var inner = logits.narrow(0, 1, Cells - 1).sigmoid();
        var edges = cat(new[] { zeros(1, dtype: ScalarType.Float64), inner, ones(1, dtype: ScalarType.Float64) });
        var mids = ((logits.narrow(0, 0, Cells).Plus(logits.narrow(0, 1, Cells))).Div(2)).sigmoid();
        var widths = edges.diff();
        var w = ObjectiveConditioning.OutputWeights(schedule, prediction, loss, weighting, mids.unsqueeze(1)).reshape(-1);
        var mean = (w * widths).sum().item<double>();
        if (!(mean > 0) || !double.IsFinite(mean))
            throw new ArgumentException($"The objective {prediction.Name}/{loss.Name}/{weighting.Name} has no finite positive weight on this schedule (mean output weight {mean}); importance sampling needs one.", nameof(weighting));
        var density = w.Mul((1 - UniformShare)).Div(mean).Add(UniformShare);
        var cdf = cat(new[] { zeros(1, dtype: ScalarType.Float64), (density * widths).cumsum(0) });
        var total = cdf[Cells].item<double>();
        _edges = edges.DetachFromDisposeScope();
        _density = (density.Div(total)).DetachFromDisposeScope();
        _cdf = (cdf.Div(total)).DetachFromDisposeScope();
    }

    /// <summary>Maps uniform draws v, (B, 1), to proposal draws u and their densities q(u), both (B, 1) in v's dtype.</summary>
    public (Tensor U, Tensor Density) Transform(Tensor v)
    {
        using var scope = NewDisposeScope();
        var onCpu = v.device_type == DeviceType.CPU;
        var cdf = onCpu ? _cdf : _cdf.to(v.device);
        var edges = onCpu ? _edges : _edges.to(v.device);
        var density = onCpu ? _density : _density.to(v.device);
        var flat = v.to(ScalarType.Float64).reshape(-1).Clamp(0, 1 - 1e-12);
        var cell = (searchsorted(cdf, flat, right: true).Sub(1)).Clamp(0, Cells - 1);
        var q = density.index_select(0, cell);
        var u = edges.index_select(0, cell).Plus((flat - cdf.index_select(0, cell)) / q);
        var upper = edges.index_select(0, cell.Add(1));
        return (u.minimum(upper).Clamp(0, 1).to(v.dtype).reshape(v.shape).MoveToOuterDisposeScope(), q.to(v.dtype).reshape(v.shape).MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        _edges.Dispose();
        _density.Dispose();
        _cdf.Dispose();
    }
}
