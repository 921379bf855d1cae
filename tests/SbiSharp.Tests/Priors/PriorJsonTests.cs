using System.Text.Json;
using System.Text.Json.Nodes;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Priors;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Priors;

/// <summary>Every library prior is stored in the model file and comes back with the same density; a user's prior falls back to its support.</summary>
public class PriorJsonTests
{
    public static TheoryData<string> Names => PriorContractTests.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void ModelFile_KeepsThePriorWithItsDensity(string name)
    {
        var prior = PriorContractTests.Create(name);
        var options = DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 16, Blocks = 1 } };
        using var estimator = new DiffusionPosteriorEstimator(prior, 1, options);
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-prior-{Guid.NewGuid():N}.sbis");
        estimator.Save(path);
        using var loaded = DiffusionPosteriorEstimator.Load(path);
        File.Delete(path);
        var back = Assert.IsAssignableFrom<IPrior>(loaded.Prior);
        Assert.Equal(prior.GetType(), back.GetType());
        using var g = new Generator(2);
        using var theta = prior.Sample(200, g);
        using var expected = prior.LogProb(theta);
        using var actual = back.LogProb(theta);
        Assert.True(expected.allclose(actual, rtol: 1e-9, atol: 1e-9), name);
        Assert.Equal(prior.Support.Lower, back.Support.Lower);
        Assert.Equal(prior.Support.Upper, back.Support.Upper);
    }

    [Fact]
    public void SampleComposed_OnALoadedModel_UsesTheStoredPrior()
    {
        var prior = PriorContractTests.Create("diag");
        using var estimator = new DiffusionPosteriorEstimator(prior, 1, DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 16, Blocks = 1 } });
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-prior-{Guid.NewGuid():N}.sbis");
        estimator.Save(path);
        using var loaded = DiffusionPosteriorEstimator.Load(path);
        File.Delete(path);
        using var x = zeros(3, 1);
        var sampling = SamplingOptions.Default with { Sampler = new SbiSharp.Sampling.HeunSampler(5), Seed = 3 };
        using var original = estimator.SampleComposed(x, 50, options: sampling);
        using var again = loaded.SampleComposed(x, 50, options: sampling);
        Assert.True(original.eq(again).all().item<bool>());
        // Without a stored prior it would need the unconditional mode, which this model (no condition dropout) lacks.
        using var bare = new DiffusionPosteriorEstimator(2, 1, DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 16, Blocks = 1 } });
        Assert.Throws<InvalidOperationException>(() => bare.SampleComposed(x, 50, options: sampling));
    }

    [Fact]
    public void UserPrior_HasNoJsonForm_AndTheModelKeepsOnlyItsSupport()
    {
        var user = new HalfLine();
        Assert.Null(PriorJson.TryWrite(user));
        Assert.Null(PriorJson.TryWrite(IndependentPrior.Of(user, new DiagonalGaussianPrior(new[] { 0.0 }, new[] { 1.0 }))));
        using var estimator = new DiffusionPosteriorEstimator(user, 1, DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 16, Blocks = 1 } });
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-prior-{Guid.NewGuid():N}.sbis");
        estimator.Save(path);
        using var loaded = DiffusionPosteriorEstimator.Load(path);
        File.Delete(path);
        Assert.Null(loaded.Prior);
        Assert.Equal(0, loaded.Support.Lower[0]);
    }

    [Fact]
    public void Read_BadJson_SaysWhatIsWrong()
    {
        Assert.Contains("Unknown prior 'beta'", Assert.Throws<JsonException>(() => PriorJson.Read(JsonNode.Parse("""{ "prior": "beta" }""")!)).Message);
        Assert.Contains("no \"high\" array", Assert.Throws<JsonException>(() => PriorJson.Read(JsonNode.Parse("""{ "prior": "box-uniform", "low": [0] }""")!)).Message);
        var invalid = Assert.Throws<JsonException>(() => PriorJson.Read(JsonNode.Parse("""{ "prior": "diagonal-gaussian", "mean": [0], "std": [-1] }""")!));
        Assert.Contains("The diagonal-gaussian prior in the file is invalid", invalid.Message);
    }

    /// <summary>A prior of the user's own: Exp(1) on (0, ∞).</summary>
    private sealed class HalfLine : IPrior
    {
        public int Dimension => 1;
        public Support Support => new(new[] { 0.0 }, new[] { double.PositiveInfinity });
        public Tensor Sample(long n, Generator? generator = null) => rand(new[] { n, 1L }, generator: generator).log().neg();
        public Tensor LogProb(Tensor theta) => theta.squeeze(1).neg();
    }
}
