using SbiSharp.Composition;
using SbiSharp.Denoising;
using SbiSharp.Diagnostics;
using SbiSharp.Estimators;
using SbiSharp.Guidance;
using SbiSharp.Noise;
using SbiSharp.Tests.Estimators;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Guidance;

/// <summary>Bad input to guidance and composition gets an error naming the parameter and the values.</summary>
public class GuidanceInputTests
{
    [Fact]
    public void SampleComposed_WrongShape_NamesObservations()
    {
        using var estimator = new DiffusionPosteriorEstimator(2, 2, DesignSpaceTests.SmallModel with { ConditionDropout = 0.1 });
        var e = Assert.Throws<ArgumentException>(() => estimator.SampleComposed(ones(4, 3), 10));
        Assert.Contains("observations", e.Message);
        Assert.Contains("(4, 3)", e.Message);
    }

    [Fact]
    public void SampleComposed_NaN_NamesObservations()
    {
        using var estimator = new DiffusionPosteriorEstimator(2, 2, DesignSpaceTests.SmallModel with { ConditionDropout = 0.1 });
        using var x = tensor(new[] { 1f, float.NaN, 0f, 0f }).reshape(2, 2);
        var e = Assert.Throws<ArgumentException>(() => estimator.SampleComposed(x, 10));
        Assert.Contains("observations", e.Message);
    }

    [Fact]
    public void ClassifierFree_ModelWithoutDropout_ThrowsNamingTheOption()
    {
        using var estimator = new DiffusionPosteriorEstimator(2, 2, DesignSpaceTests.SmallModel);
        var e = Assert.Throws<InvalidOperationException>(() => estimator.Sample(new[] { 0.1, 0.2 }, 5, guidance: new[] { new ClassifierFreeGuidance(1) }));
        Assert.Contains("ConditionDropout", e.Message);
    }

    [Fact]
    public void BadValues_ThrowNamingTheParameterAndValue()
    {
        Assert.Contains("-2", Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierFreeGuidance(-2)).Message);
        Assert.Contains("PilotDraws", Assert.Throws<ArgumentOutOfRangeException>(() => new CompositionOptions { PilotDraws = 4 }.Validate()).Message);
        Assert.Contains("ConditionDropout", Assert.Throws<ArgumentOutOfRangeException>(() => (DiffusionEstimatorOptions.Default with { ConditionDropout = 1 }).Validate()).Message);
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => new ConstraintGuidance()).Message);
        Assert.Contains("Sharpness", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstraintGuidance(t => t[.., 0]) { Sharpness = 0 }
            .Apply(new GaussianDenoiser(new EdmSchedule(), new double[1], new[,] { { 1.0 } }), new GuidanceContext(SbiSharp.Data.Standardizer.Identity(1)))).Message);
    }

    [Fact]
    public void GaussianDenoiser_NotPositiveDefinite_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new GaussianDenoiser(new EdmSchedule(), new double[2], new[,] { { 1.0, 2.0 }, { 2.0, 1.0 } }));
        Assert.Contains("positive definite", e.Message);
    }

    [Fact]
    public void Gauss_WithoutCovariances_NamesThem()
    {
        var schedule = new EdmSchedule();
        var conditional = new GaussianPosteriorDenoiser(schedule, 2, 0, 0.1, 0.1);
        var prior = new GaussianDenoiser(schedule, new double[2], new[,] { { 0.1, 0 }, { 0, 0.1 } });
        using var x = ones(3, 2);
        var e = Assert.Throws<ArgumentException>(() => new CompositionalDenoiser(conditional, x, prior, new CompositionOptions { Method = CompositionMethod.Gauss }));
        Assert.Contains("posteriorCovariances", e.Message);
        Assert.Contains("(3, 2, 2)", e.Message);
    }

    [Fact]
    public void Metropolis_NaNLogDensity_ThrowsWithThePoint()
    {
        var sampler = new RandomWalkMetropolis(t => t[0] > 0.05 ? double.NaN : -t[0] * t[0], new RandomWalkMetropolisOptions { Draws = 10, BurnIn = 10, Seed = 1 });
        var e = Assert.Throws<ArgumentException>(() => sampler.Run(new[] { 0.0 }));
        Assert.Contains("NaN", e.Message);
    }
}
