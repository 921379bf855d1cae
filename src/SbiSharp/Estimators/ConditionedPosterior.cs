using SbiSharp.Guidance;
using SbiSharp.Internal;
using SbiSharp.Sampling;
using static TorchSharp.torch;

namespace SbiSharp.Estimators;

/// <summary>The posterior q(θ | x) of one observation, from <see cref="DiffusionPosteriorEstimator.Condition(double[])"/>: draw from it and evaluate its density without passing x again.</summary>
/// <remarks>Holds a copy of x (original units) and the estimator, which it does not own: dispose the estimator when done, and this object with it.</remarks>
public sealed class ConditionedPosterior : IDisposable
{
    private readonly DiffusionPosteriorEstimator _estimator;
    private readonly Tensor _x;

    internal ConditionedPosterior(DiffusionPosteriorEstimator estimator, Tensor x)
    {
        _estimator = estimator;
        _x = x;
    }

    /// <summary>The observation, (1, Dx), original units.</summary>
    public Tensor Observation => _x;

    /// <summary>Dθ.</summary>
    public int ParameterDimension => _estimator.ParameterDimension;

    /// <summary>Draws <paramref name="numSamples"/> samples, (n, Dθ), original units, on the CPU.</summary>
    public Tensor Sample(int numSamples, SamplingOptions? options = null, IProgress<double>? progress = null, IReadOnlyList<DenoiserGuidance>? guidance = null)
    {
        using var drawn = _estimator.Draw(_x, numSamples, options, progress, guidance);
        using var first = drawn.Samples[0];
        return first.clone();
    }

    /// <summary>Like <see cref="Sample"/>, with what the draws cost (network evaluations counted in the run, acceptance rate, warnings); samples (1, n, Dθ).</summary>
    public SamplingResult Draw(int numSamples, SamplingOptions? options = null, IProgress<double>? progress = null, IReadOnlyList<DenoiserGuidance>? guidance = null) =>
        _estimator.Draw(_x, numSamples, options, progress, guidance);

    /// <summary>log q(θ | x) at <paramref name="theta"/>, (N, Dθ) original units → (N,) float64 (see <see cref="DiffusionPosteriorEstimator.LogProb"/>).</summary>
    public Tensor LogProb(Tensor theta, LogDensityOptions? options = null) => _estimator.LogProb(theta, _x, options);

    /// <inheritdoc />
    public void Dispose() => _x.Dispose();
}
