using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Priors;
using SbiSharp.Sampling;
using SbiSharp.Spaces;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Spaces;

/// <summary>An estimator built from a bounded prior keeps every draw inside the support, and its density stays normalized in θ-space.</summary>
public class BoundedPriorEstimatorTests
{
    private static IPrior Create(string name) => name switch
    {
        "box" => new BoxUniformPrior(new[] { -1.0, 0.0 }, new[] { 1.0, 3.0 }),
        "lognormal" => new LogNormalPrior(new[] { 0.0, 0.5 }, new[] { 0.3, 0.2 }),
        "product" => IndependentPrior.Of(new DiagonalGaussianPrior(new[] { 0.0 }, new[] { 1.0 }), new BoxUniformPrior(new[] { 2.0 }, new[] { 2.5 })),
        _ => throw new ArgumentException(name),
    };

    private static DiffusionEstimatorOptions Small => DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 32, Blocks = 1 } };

    private static readonly SamplingOptions Fast = SamplingOptions.Default with { Sampler = new EulerMaruyamaSampler(30), Seed = 3 };

    /// <summary>x = θ + 0.3·ε: a posterior that reaches the bounds when θ is near them.</summary>
    private static InMemoryDataset Simulate(IPrior prior, int n, long seed)
    {
        using var g = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var theta = prior.Sample(n, g);
        var x = theta.Plus(randn(theta.shape, generator: g).Mul(0.3));
        return new InMemoryDataset(theta, x);
    }

    public static TheoryData<string, bool> BoundedPriorsAndTransforms()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in new[] { "box", "lognormal", "product" })
            foreach (var unconstrained in new[] { false, true })
                data.Add(name, unconstrained);
        return data;
    }

    [Theory]
    [MemberData(nameof(BoundedPriorsAndTransforms))]
    public void Sample_EitherTransform_EveryDrawInsideTheSupport(string name, bool unconstrained)
    {
        var prior = Create(name);
        using var estimator = new DiffusionPosteriorEstimator(prior, prior.Dimension, Small,
            transform: unconstrained ? ParameterTransform.Unconstrained(prior.Support) : null);
        Assert.Equal(!unconstrained, estimator.Transform.IsIdentity);
        using var data = Simulate(prior, 2000, 1);
        estimator.Train(data, TrainingOptions.Default with { Epochs = 3, BatchSize = 128 });
        // Observations at and beyond the support's edges push mass against the bounds.
        using var scope = NewDisposeScope();
        var x = cat(new[] { data.X.narrow(0, 0, 3), data.X.narrow(0, 0, 1).Mul(4.0) }, 0);
        using var result = estimator.Draw(x, 2000, Fast);
        if (unconstrained) Assert.Equal(1.0, result.AcceptanceRate);
        else Assert.InRange(result.AcceptanceRate, 0.01, 1.0);
        Assert.Empty(result.Warnings);
        Assert.True(prior.Support.Contains(result.Samples.reshape(-1, prior.Dimension)).all().item<bool>());
    }

    [Fact]
    public void Sample_IdentityTransformOnABox_RejectsDrawsOutsideAndReportsTheRate()
    {
        var prior = BoxUniformPrior.Cube(2, -0.5, 0.5);
        using var estimator = new DiffusionPosteriorEstimator(prior, 2, Small, transform: ParameterTransform.Identity(prior.Support));
        // Untrained: the network's draws spread over about N(0, 1), most of them outside the box.
        using var result = estimator.Draw(tensor(new double[,] { { 0.0, 0.0 } }, ScalarType.Float32), 1000, Fast);
        Assert.InRange(result.AcceptanceRate, 0.02, 0.9);
        Assert.Empty(result.Warnings);
        Assert.True(prior.Support.Contains(result.Samples[0]).all().item<bool>());
        using var kept = estimator.Draw(tensor(new double[,] { { 0.0, 0.0 } }, ScalarType.Float32), 1000, Fast with { RejectOutsideSupport = false });
        Assert.Equal(1.0, kept.AcceptanceRate);
        Assert.False(prior.Support.Contains(kept.Samples[0]).all().item<bool>());
    }

    [Fact]
    public void Sample_AcceptanceBelowTheThreshold_WarnsInsteadOfLoopingForEver()
    {
        var prior = BoxUniformPrior.Cube(2, -1e-3, 1e-3);
        using var estimator = new DiffusionPosteriorEstimator(prior, 2, Small, transform: ParameterTransform.Identity(prior.Support));
        using var result = estimator.Draw(tensor(new double[,] { { 0.0, 0.0 } }, ScalarType.Float32), 200, Fast);
        Assert.True(result.AcceptanceRate < 0.01);
        Assert.Contains(result.Warnings, w => w.Contains("fell inside the prior's support"));
        Assert.Equal(new long[] { 1, 200, 2 }, result.Samples.shape);
    }

    [Fact]
    public void LogProb_LogitModelOnABox_IntegratesToOneAndIsMinusInfinityOutside()
    {
        var prior = new BoxUniformPrior(new[] { -1.0 }, new[] { 2.0 });
        using var estimator = new DiffusionPosteriorEstimator(prior, 1, Small, transform: ParameterTransform.Unconstrained(prior.Support));
        using var data = Simulate(prior, 2000, 2);
        estimator.Train(data, TrainingOptions.Default with { Epochs = 3, BatchSize = 128 });
        using var scope = NewDisposeScope();
        const int n = 1500;
        var grid = linspace(-1.0, 2.0, n + 2, dtype: ScalarType.Float64).narrow(0, 1, n).unsqueeze(1);
        var x = tensor(new double[,] { { 1.8 } }, ScalarType.Float32);
        var density = estimator.LogProb(grid, x, new LogDensityOptions { Steps = 48 }).exp();
        var integral = density.sum().item<double>() * 3.0 / (n + 1);
        Assert.InRange(integral, 0.95, 1.05);
        var outside = estimator.LogProb(tensor(new double[,] { { -1.5 }, { 2.5 } }, ScalarType.Float32), x);
        Assert.True(outside.isneginf().all().item<bool>());
    }

    [Fact]
    public void LogProb_IdentityModelOnABox_IsRenormalizedForTheRejectedMass()
    {
        // The default: θ learned as it is, draws outside the box rejected. The density of what Sample returns is q/P_q(box), which
        // LogProb gives by default; without the correction the model's mass that leaks past the bound is missing from the integral.
        var prior = new BoxUniformPrior(new[] { -1.0 }, new[] { 2.0 });
        using var estimator = new DiffusionPosteriorEstimator(prior, 1, Small);
        Assert.True(estimator.Transform.IsIdentity);
        using var data = Simulate(prior, 2000, 2);
        estimator.Train(data, TrainingOptions.Default with { Epochs = 3, BatchSize = 128 });
        using var scope = NewDisposeScope();
        const int n = 1500;
        var grid = linspace(-1.0, 2.0, n + 2, dtype: ScalarType.Float64).narrow(0, 1, n).unsqueeze(1);
        var x = tensor(new double[,] { { 2.3 } }, ScalarType.Float32); // beyond the bound: the posterior piles up against θ = 2
        double Integral(int supportDraws) =>
            estimator.LogProb(grid, x, new LogDensityOptions { Steps = 48, SupportDraws = supportDraws }).exp().sum().item<double>() * 3.0 / (n + 1);
        var raw = Integral(0);
        var renormalized = Integral(4000);
        // The correction is the share of the default sampler's unrejected draws inside the box (measured 0.97: 3 % leaks past θ = 2).
        using var drawn = estimator.Draw(x, 4000, SamplingOptions.Default with { Seed = 11, RejectOutsideSupport = false });
        var share = prior.Support.Contains(drawn.Samples.reshape(-1, 1)).to(ScalarType.Float64).mean().item<double>();
        Assert.InRange(share, 0.5, 0.99);
        Assert.InRange(renormalized, 0.97, 1.03);
        Assert.InRange(raw / renormalized, share - 0.01, share + 0.01);
        Assert.InRange(raw / renormalized, share - 0.05, share + 0.05); // the correction is the share of draws inside
    }

    [Fact]
    public void SaveLoad_KeepsTheTransformAndTheDraws()
    {
        var prior = Create("product");
        using var estimator = new DiffusionPosteriorEstimator(prior, 2, Small, transform: ParameterTransform.Unconstrained(prior.Support));
        using var data = Simulate(prior, 500, 4);
        estimator.Train(data, TrainingOptions.Default with { Epochs = 1, BatchSize = 100 });
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-space-{Guid.NewGuid():N}.sbis");
        estimator.Save(path);
        using var loaded = DiffusionPosteriorEstimator.Load(path);
        File.Delete(path);
        Assert.Equal(estimator.Transform.Kinds, loaded.Transform.Kinds);
        Assert.Equal(estimator.Support.Upper, loaded.Support.Upper);
        using var a = estimator.Sample(new[] { 0.1, 2.2 }, 100, Fast);
        using var b = loaded.Sample(new[] { 0.1, 2.2 }, 100, Fast);
        Assert.True(a.eq(b).all().item<bool>());
    }

    [Fact]
    public void Train_ParameterOutsideTheSupport_IsRefusedWithTheRow()
    {
        var prior = BoxUniformPrior.Cube(2, 0, 1);
        using var estimator = new DiffusionPosteriorEstimator(prior, 2, Small, parameterNames: new[] { "a", "b" });
        using var theta = tensor(new double[,] { { 0.5, 0.5 }, { 0.2, 1.5 }, { 0.3, 0.3 } }, ScalarType.Float32);
        using var data = new InMemoryDataset(theta, theta.clone());
        var e = Assert.Throws<ArgumentException>(() => estimator.Train(data, TrainingOptions.Default with { Epochs = 1, ValidationFraction = 0.34 }));
        Assert.Contains("'b' = 1.5, outside the support [0, 1]", e.Message);
    }

    [Fact]
    public void Train_StreamedRowOutsideTheSupport_IsRefusedWhenItArrives()
    {
        // A stream that is fine while validation and the standardizer read it, and sends a row outside the box once training starts.
        var prior = BoxUniformPrior.Cube(2, 0, 1);
        using var estimator = new DiffusionPosteriorEstimator(prior, 2, Small, parameterNames: new[] { "a", "b" });
        var e = Assert.Throws<ArgumentException>(() => estimator.Train(new LateBadRowStream(), TrainingOptions.Default with { Epochs = 1, BatchesPerEpoch = 5, BatchSize = 100 }));
        Assert.Equal("training", e.ParamName);
        Assert.Contains("`training` (a streamed batch) θ row 1 has 'b' = 1.5, outside the support [0, 1]", e.Message);
    }

    /// <summary>Uniform θ on the unit square, x = θ; from its third pass on, the first row of each pass is θ = (0.5, 1.5).</summary>
    private sealed class LateBadRowStream : ISimulationDataset
    {
        private int _passes;

        public int ParameterDimension => 2;
        public int ObservationDimension => 2;
        public long? Count => null;

        public IEnumerable<SbiSharp.Simulators.SimulationBatch> Batches(int batchSize, int batches, Generator? generator)
        {
            var pass = ++_passes;
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var theta = rand(new long[] { batchSize, 2 }, generator: generator);
                if (pass >= 3 && b == 0) theta[0, 1] = tensor(1.5f);
                yield return new SbiSharp.Simulators.SimulationBatch(theta.MoveToOuterDisposeScope(), theta.clone().MoveToOuterDisposeScope());
            }
        }
    }

    [Fact]
    public void SampleComposed_UsesTheStoredPriorByDefault()
    {
        var prior = Create("box");
        using var estimator = new DiffusionPosteriorEstimator(prior, 2, Small);
        using var data = Simulate(prior, 500, 5);
        estimator.Train(data, TrainingOptions.Default with { Epochs = 1, BatchSize = 100 });
        using var draws = estimator.SampleComposed(data.X.narrow(0, 0, 3), 200, options: Fast);
        Assert.Equal(new long[] { 200, 2 }, draws.shape);
        Assert.True(prior.Support.Contains(draws).all().item<bool>());
    }
}
