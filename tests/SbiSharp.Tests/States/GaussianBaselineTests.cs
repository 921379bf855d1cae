using SbiSharp.States;
using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Tests.States;

/// <summary>The best-Gaussian baseline of the states half (an empirical mean and covariance and its exact posterior) and the radial spectrum used to
/// compare fields.</summary>
public class GaussianBaselineTests
{
    private static ObservationSet Observations(int dimension, double[] truth) =>
        new(LinearGaussianObservation.Simulate(PixelMask.Random(dimension, 0.25, seed: 2), truth, 0.05, seed: 3),
            LinearGaussianObservation.Simulate(new AveragePooling(6, 8, 2), truth, 0.1, seed: 4));

    [Fact]
    public void FittedToGrfDraws_ItsPosteriorIsTheGrfPosterior_AndItsDrawsHaveThoseMoments()
    {
        using var scope = NewDisposeScope();
        var field = new GaussianRandomField(6, 8, lengthScale: 1.5);
        using var g = new Generator(5);
        var states = field.Sample(40_000, g, ScalarType.Float64).Mul(2.0).Add(1.0);
        using var prior = EmpiricalGaussianPrior.Fit(states.reshape(40_000, 1, 6, 8));
        Assert.Equal(48, prior.Dimension);
        // The scaled field: mean 1, covariance 4 C.
        Assert.True((prior.Mean() - ones(48, dtype: ScalarType.Float64)).abs().max().item<double>() < 0.05);
        Assert.True((prior.Covariance() - field.Covariance().Mul(4.0)).abs().max().item<double>() < 0.12);
        var truth = states[0].data<double>().ToArray();
        var y = Observations(48, truth);
        var (mean, covariance) = prior.Posterior(y);
        // The same posterior from the exact prior (shifted by its mean): condition z = (x − 1)/2 on the rescaled data.
        var shifted = new ObservationSet(y.Parts.Select(p =>
        {
            using var one = ones(1, 48, dtype: ScalarType.Float64);
            using var offset = p.Operator.Apply(one);
            var values = p.Values.Select((v, i) => (v - offset.data<double>()[i]) / 2).ToArray();
            return new LinearGaussianObservation(p.Operator, values, p.NoiseVariances.Select(s => s / 4).ToArray());
        }).ToArray());
        var (exactZ, exactZCovariance) = field.Posterior(shifted);
        Assert.True((mean - exactZ.Mul(2.0).Add(1.0)).abs().max().item<double>() < 0.1, "posterior mean off the exact one");
        Assert.True((covariance - exactZCovariance.Mul(4.0)).abs().max().item<double>() < 0.05, "posterior covariance off the exact one");
        using var g2 = new Generator(6);
        var draws = prior.PosteriorSample(y, 20_000, g2);
        var z = (draws.mean(new long[] { 0 }) - mean) / covariance.diagonal().Div(20_000.0).sqrt();
        Assert.True(z.abs().max().item<double>() < 4.5, "draws' mean off the posterior mean");
        var ratio = draws.var(0) / covariance.diagonal();
        Assert.True((ratio.Sub(1.0)).abs().max().item<double>() < 0.08, "draws' variance off the posterior variance");
    }

    [Fact]
    public void BadInput_IsRefusedByName()
    {
        using var one = zeros(1, 4);
        Assert.Contains("`states` must be (N, …) with N ≥ 2; got (1, 4)", Assert.Throws<ArgumentException>(() => EmpiricalGaussianPrior.Fit(one)).Message);
        using var nan = randn(5, 4);
        using var notANumber = tensor(double.NaN);
        nan[2, 1] = notANumber;
        Assert.Contains("`states` must be finite; found NaN or Inf at index (2, 1)", Assert.Throws<ArgumentException>(() => EmpiricalGaussianPrior.Fit(nan)).Message);
        using var some = randn(10, 4);
        Assert.Contains("`jitter` must be ≥ 0; got -1", Assert.Throws<ArgumentOutOfRangeException>(() => EmpiricalGaussianPrior.Fit(some, -1)).Message);
        using var prior = EmpiricalGaussianPrior.Fit(some);
        var y = new ObservationSet(new LinearGaussianObservation(PixelMask.Random(9, 0.5, 1), new double[PixelMask.Random(9, 0.5, 1).OutputDimension], 0.1));
        Assert.Contains("`observations` are of states of length 9; this prior has 4", Assert.Throws<ArgumentException>(() => prior.Posterior(y)).Message);
        Assert.Contains("`observations` are of states of length 9; this prior has 4", Assert.Throws<ArgumentException>(() => prior.PosteriorSample(y, 5)).Message);
        Assert.Contains("count", Assert.Throws<ArgumentOutOfRangeException>(() => prior.Sample(0)).Message);
        using var wrong = zeros(3, 10);
        Assert.Contains("`fields` must be (B, 64) or (B, 1, 8, 8); got (3, 10)", Assert.Throws<ArgumentException>(() => RadialSpectrum.Of(wrong, 8, 8)).Message);
    }

    [Fact]
    public void RadialSpectrum_IsFlatForWhiteNoise_AndPutsACosineInItsShell()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var white = randn(new long[] { 400, 16 * 16 }, dtype: ScalarType.Float64, generator: g);
        var spectrum = RadialSpectrum.Of(white, 16, 16);
        Assert.Equal(9, spectrum.Length);
        Assert.All(spectrum, p => Assert.InRange(p, 0.85, 1.15));
        var x = ScalarMath.Arange(16, ScalarType.Float64).Mul(2 * Math.PI * 3 / 16).cos().unsqueeze(0).expand(16, 16).reshape(1, 256);
        var cosine = RadialSpectrum.Of(x, 16, 16);
        Assert.True(cosine[3] > 1, $"shell 3 holds the cosine; got {cosine[3]}");
        Assert.All(cosine.Where((_, k) => k != 3), p => Assert.True(p < 1e-20, $"power {p} outside shell 3"));
    }
}
