using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Internal;
using SbiSharp.Noise;
using SbiSharp.Priors;
using static TorchSharp.torch;
using SbiSharp.Torch;

using SbiSharp.Spaces;

namespace SbiSharp.Composition;

/// <summary>What <see cref="DiffusionPosteriorEstimator.SampleComposed"/> prepares before composing: the prior denoiser and the covariances GAUSS needs.</summary>
internal static class CompositionSetup
{
    /// <summary>A Gaussian denoiser with the prior's mean and covariance in the model's standardized, unconstrained units (from 20,000 prior draws).</summary>
    public static GaussianDenoiser MomentMatched(IPrior prior, ParameterSpace space, INoiseSchedule schedule, Generator generator)
    {
        using var scope = NewDisposeScope();
        var draws = space.ToStandardized(prior.Sample(20_000, generator).to(ScalarType.Float64));
        var mean = draws.mean(new long[] { 0 });
        var covariance = Covariances(draws.unsqueeze(0))[0];
        return new GaussianDenoiser(schedule, Tensors.ToDoubles(mean), Tensors.ToMatrix(covariance));
    }

    /// <summary>Covariance of each single-observation posterior in standardized units, (N, D, D), from a pilot run.</summary>
    public static Tensor PilotCovariances(IDenoiser denoiser, Tensor x, int draws, SamplingOptions o, Generator generator)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var parts = new List<Tensor>();
        long perChunk = Math.Max(1, o.ChunkSize / draws);
        for (long start = 0; start < n; start += perChunk)
        {
            var count = Math.Min(perChunk, n - start);
            var condition = x.narrow(0, start, count).repeat_interleave(draws, 0);
            var samples = o.SamplerFor(Training.DenoisingObjectiveSpec.Default).Sample(denoiser, condition, generator);
            parts.Add(Covariances(samples.view(count, draws, denoiser.ParameterDimension)));
        }
        return cat(parts.ToArray(), 0).MoveToOuterDisposeScope();
    }

    /// <summary>Sample covariances of (G, K, D) groups, (G, D, D), with a small ridge so they stay invertible.</summary>
    public static Tensor Covariances(Tensor groups)
    {
        using var scope = NewDisposeScope();
        var g = groups.to(ScalarType.Float64);
        var centered = g - g.mean(new long[] { 1 }, keepdim: true);
        var cov = centered.transpose(1, 2).matmul(centered).Div((g.shape[1] - 1));
        var ridge = cov.diagonal(dim1: 1, dim2: 2).mean(new long[] { 1 }).view(-1, 1, 1).Mul(1e-6) * eye(g.shape[2], dtype: ScalarType.Float64, device: g.device).unsqueeze(0);
        return (cov.Plus(ridge)).MoveToOuterDisposeScope();
    }

}
