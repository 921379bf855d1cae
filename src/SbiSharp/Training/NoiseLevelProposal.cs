using SbiSharp.Denoising;
using TorchSharp;
using SbiSharp.Noise;
using static TorchSharp.torch;

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

    private readonly double[] _edges;
    private readonly double[] _density;
    private readonly double[] _cdf;

    // The tables as CPU tensors, made once: converting three 16,384-element arrays on every batch meant large-object-heap
    // allocations, and the GCs they trigger are what lets TorchSharp's finalizer free a temporary Scalar mid-op.
    private readonly Tensor _edgesTensor;
    private readonly Tensor _densityTensor;
    private readonly Tensor _cdfTensor;

    public NoiseLevelProposal(INoiseSchedule schedule, Parameterization prediction, LossSpace space, LossWeighting weighting)
    {
        _edges = new double[Cells + 1];
        var mids = new double[Cells];
        for (int k = 0; k <= Cells; k++) _edges[k] = Logistic(-LogitRange + 2 * LogitRange * k / Cells);
        for (int k = 0; k < Cells; k++) mids[k] = Logistic(-LogitRange + 2 * LogitRange * (k + 0.5) / Cells);
        _edges[0] = 0;
        _edges[Cells] = 1;
        double[] w;
        using (NewDisposeScope())
            w = ObjectiveConditioning.OutputWeights(schedule, prediction, space, weighting, tensor(mids, dtype: ScalarType.Float64).unsqueeze(1))
                .reshape(-1).data<double>().ToArray();
        var mean = 0.0;
        for (int k = 0; k < Cells; k++) mean += w[k] * (_edges[k + 1] - _edges[k]);
        if (!(mean > 0) || !double.IsFinite(mean))
            throw new ArgumentException($"The objective {prediction.Name}/{space}/{weighting.Name} has no finite positive weight on this schedule (mean output weight {mean}); importance sampling needs one.", nameof(weighting));
        _density = w.Select(v => (1 - UniformShare) * v / mean + UniformShare).ToArray();
        _cdf = new double[Cells + 1];
        for (int k = 0; k < Cells; k++) _cdf[k + 1] = _cdf[k] + _density[k] * (_edges[k + 1] - _edges[k]);
        var total = _cdf[Cells];
        for (int k = 0; k < Cells; k++) _density[k] /= total;
        for (int k = 1; k <= Cells; k++) _cdf[k] /= total;
        _edgesTensor = tensor(_edges, dtype: ScalarType.Float64).DetachFromDisposeScope();
        _densityTensor = tensor(_density, dtype: ScalarType.Float64).DetachFromDisposeScope();
        _cdfTensor = tensor(_cdf, dtype: ScalarType.Float64).DetachFromDisposeScope();
    }

    /// <summary>Maps uniform draws v, (B, 1), to proposal draws u and their densities q(u), both (B, 1) in v's dtype.</summary>
    public (Tensor U, Tensor Density) Transform(Tensor v)
    {
        using var scope = NewDisposeScope();
        var onCpu = v.device_type == DeviceType.CPU;
        var cdf = onCpu ? _cdfTensor : _cdfTensor.to(v.device);
        var edges = onCpu ? _edgesTensor : _edgesTensor.to(v.device);
        var density = onCpu ? _densityTensor : _densityTensor.to(v.device);
        var flat = v.to(ScalarType.Float64).reshape(-1).clamp(0, 1 - 1e-12);
        var cell = (searchsorted(cdf, flat, right: true) - 1).clamp(0, Cells - 1);
        var q = density.index_select(0, cell);
        var u = edges.index_select(0, cell) + (flat - cdf.index_select(0, cell)) / q;
        var upper = edges.index_select(0, cell + 1);
        return (u.minimum(upper).clamp(0, 1).to(v.dtype).reshape(v.shape).MoveToOuterDisposeScope(), q.to(v.dtype).reshape(v.shape).MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        _edgesTensor.Dispose();
        _densityTensor.Dispose();
        _cdfTensor.Dispose();
    }

    private static double Logistic(double s) => 1 / (1 + Math.Exp(-s));
}
