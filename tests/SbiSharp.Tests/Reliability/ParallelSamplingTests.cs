using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Sampling;

namespace SbiSharp.Tests.Reliability;

/// <summary>One estimator sampled from several threads at once gives exactly the draws of serial calls with the same seeds.</summary>
public class ParallelSamplingTests
{
    [Fact]
    public void Sample_FromSeveralThreads_EqualsSerialCalls()
    {
        var options = DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 32, Blocks = 1 } };
        using var estimator = new DiffusionPosteriorEstimator(2, 3, options);
        var x = new[] { 0.1, -0.2, 0.3 };
        SamplingOptions Seeded(int seed) => SamplingOptions.Default with { Sampler = new EulerSampler(6), Seed = seed };
        var serial = Enumerable.Range(0, 8).Select(seed =>
        {
            using var draws = estimator.Sample(x, 64, Seeded(seed));
            return draws.data<float>().ToArray();
        }).ToArray();
        var parallel = new float[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, seed =>
        {
            using var draws = estimator.Sample(x, 64, Seeded(seed));
            parallel[seed] = draws.data<float>().ToArray();
        });
        for (int seed = 0; seed < 8; seed++) Assert.Equal(serial[seed], parallel[seed]);
        Assert.NotEqual(serial[0], serial[1]);
    }
}
