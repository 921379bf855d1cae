using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Priors;
using SbiSharp.Sequential;
using SbiSharp.Simulators;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Sequential;

/// <summary>Truncated sequential NPE: nested regions that keep the posterior, and the exact posterior at the observation.</summary>
public class TruncatedSequentialTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>x = θ + 0.1·ε.</summary>
    private sealed class Noisy : ISimulator
    {
        public int ParameterDimension => 2;
        public int ObservationDimension => 2;
        public Tensor Simulate(Tensor theta, Generator? generator = null)
        {
            using var noise = randn(theta.shape, generator: generator);
            using var scaled = noise.Mul(0.1);
            return theta.Plus(scaled);
        }
    }

    private static readonly GaussianPrior Prior = new(new[] { 0.0, 0.0 }, new[,] { { 1.0, 0.0 }, { 0.0, 1.0 } });

    private static DiffusionEstimatorOptions Small => DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 64, Blocks = 2 } };

    [Fact]
    [Trait("Category", "Slow")]
    public void Run_ConjugateGaussian_NestedRegionsHoldThePosterior_AndTheLastModelMatchesIt()
    {
        var observation = new[] { 0.8, -1.1 };
        const double noise2 = 0.01;
        var exactSd = Math.Sqrt(noise2 / (1 + noise2));
        var training = TrainingOptions.Default with { Epochs = 60, BatchSize = 128, EarlyStoppingPatience = 15, LearningRate = 1e-3 };
        using var result = TruncatedSequentialEstimation.Run(Prior, new Noisy(), observation, 4_500, new SequentialOptions { Rounds = 3, TruncationDraws = 2_000 },
            Small, training, SamplingOptions.Default with { Seed = 2 });
        Assert.Equal(3, result.Rounds.Count);
        Assert.Equal(4_500, result.Rounds.Sum(r => r.Simulations));
        Assert.Equal(1.0, result.Rounds[0].PriorMass);
        for (int r = 1; r < 3; r++)
        {
            var region = result.Rounds[r].Region;
            var before = result.Rounds[r - 1].Region;
            Assert.True(result.Rounds[r].PriorMass < result.Rounds[r - 1].PriorMass, $"round {r + 1} proposes from prior mass {result.Rounds[r].PriorMass}, no less than before");
            for (int j = 0; j < 2; j++)
            {
                var exactMean = observation[j] / (1 + noise2);
                Assert.True(region.Lower[j] <= exactMean - 3.5 * exactSd && region.Upper[j] >= exactMean + 3.5 * exactSd, $"round {r + 1} coordinate {j + 1} cuts the posterior");
                Assert.True(region.Lower[j] >= before.Lower[j] && region.Upper[j] <= before.Upper[j], "regions are nested");
            }
        }
        Assert.True(result.Rounds[^1].PriorMass < 0.2, $"the last round proposes from prior mass {result.Rounds[^1].PriorMass}");
        using var x = tensor(observation, new long[] { 1, 2 }, ScalarType.Float32);
        using var draws = result.Estimator.Sample(x, 4_000, SamplingOptions.Default with { Seed = 9 });
        var mean = draws[0].mean(new long[] { 0 }).data<float>().ToArray();
        var sd = draws[0].std(0).data<float>().ToArray();
        for (int j = 0; j < 2; j++)
        {
            output.WriteLine($"θ{j + 1}: mean error {(mean[j] - observation[j] / (1 + noise2)) / exactSd:F3} sd, sd ratio {sd[j] / exactSd:F3}; masses {string.Join(", ", result.Rounds.Select(r => r.PriorMass.ToString("G3")))}");
            Assert.InRange((mean[j] - observation[j] / (1 + noise2)) / exactSd, -0.25, 0.25);
            Assert.InRange(sd[j] / exactSd, 0.85, 1.15);
        }
    }

    [Fact]
    public void TruncatedPrior_DrawsInsideTheBox_WithTheRightMass_AndRefusesAnEmptyBox()
    {
        var prior = BoxUniformPrior.Cube(2, 0, 1);
        using var g = new Generator(3);
        var truncated = new TruncatedPrior(prior, new Support(new[] { 0.2, -5.0 }, new[] { 0.6, 0.5 }), g);
        Assert.Equal(new[] { 0.2, 0.0 }, truncated.Support.Lower);
        Assert.Equal(new[] { 0.6, 0.5 }, truncated.Support.Upper);
        Assert.InRange(truncated.Mass, 0.2 - 0.01, 0.2 + 0.01);
        using var draws = truncated.Sample(5_000, g);
        Assert.Equal(new long[] { 5_000, 2 }, draws.shape);
        using (var inside = truncated.Support.Contains(draws)) Assert.True(inside.all().item<bool>());
        using (var lp = truncated.LogProb(tensor(new double[,] { { 0.3, 0.3 }, { 0.9, 0.3 } }, ScalarType.Float32)))
        {
            var values = lp.data<double>().ToArray();
            Assert.InRange(values[0], Math.Log(1 / 0.2) - 0.06, Math.Log(1 / 0.2) + 0.06);
            Assert.True(double.IsNegativeInfinity(values[1]));
        }
        var miss = Assert.Throws<ArgumentException>(() => new TruncatedPrior(prior, new Support(new[] { 2.0, 0.0 }, new[] { 3.0, 1.0 })));
        Assert.Equal("box", miss.ParamName);
        Assert.Contains("does not meet the prior's support", miss.Message);
        var tiny = Assert.Throws<ArgumentException>(() => new TruncatedPrior(prior, new Support(new[] { 0.5, 0.5 }, new[] { 0.500001, 0.500001 })));
        Assert.Contains("Widen the box", tiny.Message);
    }

    [Fact]
    public void Run_BadInput_IsRefusedNamingTheParameter()
    {
        var sim = new Noisy();
        Assert.Equal("observation", Assert.Throws<ArgumentException>(() => TruncatedSequentialEstimation.Run(Prior, sim, new[] { 1.0 }, 1_000)).ParamName);
        Assert.Equal("observation", Assert.ThrowsAny<ArgumentException>(() => TruncatedSequentialEstimation.Run(Prior, sim, new[] { 1.0, double.NaN }, 1_000)).ParamName);
        var budget = Assert.Throws<ArgumentOutOfRangeException>(() => TruncatedSequentialEstimation.Run(Prior, sim, new[] { 1.0, 0.0 }, 300));
        Assert.Equal("budget", budget.ParamName);
        Assert.Contains("at least 100 simulations per round (400 for 4 rounds); got 300", budget.Message);
        Assert.Equal("Rounds", Assert.ThrowsAny<ArgumentException>(() => new SequentialOptions { Rounds = 0 }.Validate()).ParamName);
        Assert.Equal("Margin", Assert.ThrowsAny<ArgumentException>(() => new SequentialOptions { Margin = -1 }.Validate()).ParamName);
    }
}
