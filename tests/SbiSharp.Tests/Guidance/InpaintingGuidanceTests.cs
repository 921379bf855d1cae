using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Guidance;
using SbiSharp.Noise;
using SbiSharp.Sampling;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Guidance;

/// <summary>Inpainting on an exact correlated Gaussian denoiser against the exact Gaussian conditional.</summary>
public class InpaintingGuidanceTests
{
    private static readonly double[] Mu = { 0.5, -1.0, 2.0 };
    private static readonly double[,] Sigma = { { 1.0, 0.6, -0.3 }, { 0.6, 0.8, 0.2 }, { -0.3, 0.2, 0.5 } };

    [Fact]
    public void Sample_FixFirstComponent_MatchesGaussianConditional()
    {
        const double v = 1.3;
        var denoiser = new GaussianDenoiser(new EdmSchedule(), Mu, Sigma);
        var guided = new InpaintingGuidance(new[] { 0 }, new[] { v }).Apply(denoiser, new GuidanceContext(Standardizer.Identity(3)));
        using var generator = new Generator(5);
        using var x = zeros(6000, 1);
        using var samples = new HeunSampler(30).Sample(guided, x, generator);
        var (m, c) = Moments.Of(samples);
        // Exact: μ_u + Σ_u0/Σ_00 (v − μ_0), Σ_uu − Σ_u0 Σ_0u / Σ_00.
        Assert.InRange(m[0], v - 0.01, v + 0.01);
        for (int i = 1; i < 3; i++)
        {
            var mean = Mu[i] + Sigma[i, 0] / Sigma[0, 0] * (v - Mu[0]);
            Assert.InRange(m[i], mean - 0.04, mean + 0.04);
            for (int j = 1; j < 3; j++)
            {
                var cov = Sigma[i, j] - Sigma[i, 0] * Sigma[0, j] / Sigma[0, 0];
                Assert.InRange(c[i, j], cov - 0.04 * Math.Sqrt(Sigma[i, i] * Sigma[j, j]), cov + 0.04 * Math.Sqrt(Sigma[i, i] * Sigma[j, j]));
            }
        }
    }

    [Theory]
    [InlineData(new[] { 3 }, new[] { 0.0 }, "indices[0]")]
    [InlineData(new[] { 0, 1, 2 }, new[] { 0.0, 0.0, 0.0 }, "all 3")]
    public void Apply_BadIndices_ThrowsNamingThem(int[] indices, double[] values, string expected)
    {
        var denoiser = new GaussianDenoiser(new EdmSchedule(), Mu, Sigma);
        var ex = Assert.ThrowsAny<ArgumentException>(() => new InpaintingGuidance(indices, values).Apply(denoiser, new GuidanceContext(Standardizer.Identity(3))));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Constructor_NonFiniteValue_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new InpaintingGuidance(new[] { 0 }, new[] { double.NaN }));
        Assert.Contains("values[0]", ex.Message);
    }
}
