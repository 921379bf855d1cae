using SbiSharp.Priors;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Priors;

/// <summary>Invariants over every prior: shapes, moments, log density normalization and scores that match autograd.</summary>
public class PriorContractTests
{
    public static TheoryData<string> Names => new() { "box", "diag", "full", "lognormal", "product" };

    internal static IPrior Create(string name) => name switch
    {
        "box" => new BoxUniformPrior(new[] { -1.0, 0.0 }, new[] { 1.0, 3.0 }),
        "diag" => new DiagonalGaussianPrior(new[] { 1.0, -2.0 }, new[] { 0.5, 2.0 }),
        "full" => new GaussianPrior(new[] { 0.5, -0.5 }, new[,] { { 1.0, 0.6 }, { 0.6, 2.0 } }),
        "lognormal" => new LogNormalPrior(new[] { 0.0, 0.5 }, new[] { 0.3, 0.2 }),
        "product" => IndependentPrior.Of(new DiagonalGaussianPrior(new[] { 0.0 }, new[] { 1.0 }), new LogNormalPrior(new[] { 0.0 }, new[] { 0.5 })),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Sample_HasShapeAndFiniteLogProb(string name)
    {
        var prior = Create(name);
        using var g = new Generator(1);
        using var theta = prior.Sample(1000, g);
        Assert.Equal(new long[] { 1000, prior.Dimension }, theta.shape);
        using var logp = prior.LogProb(theta);
        Assert.Equal(new long[] { 1000 }, logp.shape);
        Assert.True(isfinite(logp).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Support_HoldsEveryDrawAndThePriorHasNoMassOutsideIt(string name)
    {
        var prior = Create(name);
        var support = prior.Support;
        Assert.Equal(prior.Dimension, support.Dimension);
        using var g = new Generator(4);
        using var scope = NewDisposeScope();
        Assert.True(support.Contains(prior.Sample(20_000, g)).all().item<bool>());
        // Points just outside a finite bound have log density −∞.
        for (int i = 0; i < prior.Dimension; i++)
            foreach (var (bound, step) in new[] { (support.Lower[i], -1e-3), (support.Upper[i], 1e-3) })
            {
                if (!double.IsFinite(bound)) continue;
                var theta = prior.Sample(1, g).to(ScalarType.Float64);
                theta[0, i] = tensor(bound + step, ScalarType.Float64);
                Assert.False(support.Contains(theta).item<bool>());
                Assert.True(double.IsNegativeInfinity(prior.LogProb(theta).item<double>()), $"{name}: coordinate {i} at {bound + step}");
            }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void LogProb_IntegratesToOne_ByImportanceSampling(string name)
    {
        // E_q[p/q] = 1 with q a wide Gaussian proposal covering the support.
        var prior = Create(name);
        var proposal = new DiagonalGaussianPrior(new double[prior.Dimension], Enumerable.Repeat(4.0, prior.Dimension).ToArray());
        using var g = new Generator(2);
        using var scope = NewDisposeScope();
        var theta = proposal.Sample(400_000, g).to(ScalarType.Float64);
        var ratio = (prior.LogProb(theta) - proposal.LogProb(theta)).exp().mean().item<double>();
        Assert.InRange(ratio, 0.97, 1.03);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Score_MatchesAutogradOfLogProb(string name)
    {
        var prior = Create(name);
        if (prior is not IScoredPrior scored) return; // box uniform has no score by design
        using var g = new Generator(3);
        using var scope = NewDisposeScope();
        var theta = prior.Sample(64, g).to(ScalarType.Float64).requires_grad_(true);
        var grad = autograd.grad(new[] { prior.LogProb(theta).sum() }, new[] { theta })[0];
        var analytic = scored.Score(theta.detach());
        Assert.True(allclose(grad, analytic, rtol: 1e-6, atol: 1e-8));
    }

    [Fact]
    public void Sample_MomentsMatchParameters()
    {
        using var g = new Generator(4);
        using var scope = NewDisposeScope();
        var full = new GaussianPrior(new[] { 0.5, -0.5 }, new[,] { { 1.0, 0.6 }, { 0.6, 2.0 } });
        var theta = full.Sample(200_000, g).to(ScalarType.Float64);
        var centered = theta - theta.mean(new long[] { 0 }, keepdim: true);
        var cov = centered.t().matmul(centered).Div(200_000);
        Assert.InRange(cov[0, 1].item<double>(), 0.57, 0.63);
        Assert.InRange(cov[1, 1].item<double>(), 1.95, 2.05);
        var box = new BoxUniformPrior(new[] { -1.0, 0.0 }, new[] { 1.0, 3.0 }).Sample(200_000, g);
        Assert.InRange(box.min().item<float>(), -1f, 0f);
        Assert.InRange(box[.., 1].mean().item<float>(), 1.48f, 1.52f);
    }

    [Fact]
    public void BoxUniform_LowNotBelowHigh_ThrowsWithValues()
    {
        var e = Assert.Throws<ArgumentException>(() => new BoxUniformPrior(new[] { 0.0, 2.0 }, new[] { 1.0, 2.0 }));
        Assert.Contains("low[1]", e.Message);
        Assert.Contains("2", e.Message);
    }

    [Fact]
    public void DiagonalGaussian_NegativeScale_ThrowsWithValue()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DiagonalGaussianPrior(new[] { 0.0, 0.0 }, new[] { 1.0, -0.5 }));
        Assert.Contains("std[1]", e.Message);
        Assert.Contains("-0.5", e.Message);
    }

    [Fact]
    public void Gaussian_NotPositiveDefinite_ThrowsWithPivot()
    {
        var e = Assert.Throws<ArgumentException>(() => new GaussianPrior(new[] { 0.0, 0.0 }, new[,] { { 1.0, 2.0 }, { 2.0, 1.0 } }));
        Assert.Contains("positive definite", e.Message);
        Assert.Throws<ArgumentException>(() => new GaussianPrior(new[] { 0.0, 0.0 }, new[,] { { 1.0, 0.5 }, { 0.2, 1.0 } }));
    }

    [Fact]
    public void LogNormal_ZeroScale_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogNormalPrior(new[] { 0.0 }, new[] { 0.0 }));

    [Fact]
    public void LogProb_WrongShape_NamesExpectedAndActual()
    {
        var prior = Create("diag");
        using var theta = zeros(64, 3);
        var e = Assert.Throws<ArgumentException>(() => prior.LogProb(theta));
        Assert.Contains("(B, 2)", e.Message);
        Assert.Contains("(64, 3)", e.Message);
    }

    [Fact]
    public void IndependentPrior_WithoutScoredParts_IsNotScored()
    {
        Assert.IsNotType<ScoredIndependentPrior>(IndependentPrior.Of(Create("box"), Create("diag")));
        Assert.IsType<ScoredIndependentPrior>(IndependentPrior.Of(Create("full"), Create("diag")));
        using var g = new Generator(5);
        using var theta = IndependentPrior.Of(Create("box"), Create("diag")).Sample(10, g);
        Assert.Equal(4, theta.shape[1]);
    }
}
