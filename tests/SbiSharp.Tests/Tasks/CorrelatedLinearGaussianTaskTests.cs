using SbiSharp.Data;
using SbiSharp.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Tasks;

/// <summary>The high-dimensional task's exact posterior is the true conditional of its own simulator.</summary>
public class CorrelatedLinearGaussianTaskTests
{
    /// <summary>For jointly Gaussian (θ, x) the residual θ − μ(x) has covariance Σ_post and is uncorrelated with x: checked on simulated pairs.</summary>
    [Theory]
    [InlineData(8, 200_000, 0.005)]
    [InlineData(64, 100_000, 0.006)]
    public void ExactPosterior_IsTheSimulatorsConditional(int dimension, int count, double tolerance)
    {
        var problem = new CorrelatedLinearGaussianTask(dimension);
        using var data = InMemoryDataset.Simulate(problem.Task.Joint(), count, new Generator(3));
        var theta = data.Theta.to(ScalarType.Float64).data<double>().ToArray();
        var x = data.X.to(ScalarType.Float64).data<double>().ToArray();
        // μ(x) is linear: its matrix from the unit vectors.
        var mean = new double[dimension, dimension];
        double[,] covariance = null!;
        for (int j = 0; j < dimension; j++)
        {
            var unit = new double[dimension];
            unit[j] = 1;
            var (m, c) = problem.ExactPosterior(unit);
            covariance = c;
            for (int i = 0; i < dimension; i++) mean[i, j] = m[i];
        }
        var residualCov = new double[dimension, dimension];
        var residualX = new double[dimension, dimension];
        var r = new double[dimension];
        for (int n = 0; n < count; n++)
        {
            for (int i = 0; i < dimension; i++)
            {
                double mu = 0;
                for (int j = 0; j < dimension; j++) mu += mean[i, j] * x[n * dimension + j];
                r[i] = theta[n * dimension + i] - mu;
            }
            for (int i = 0; i < dimension; i++)
                for (int j = 0; j < dimension; j++)
                {
                    residualCov[i, j] += r[i] * r[j] / count;
                    residualX[i, j] += r[i] * x[n * dimension + j] / count;
                }
        }
        for (int i = 0; i < dimension; i++)
            for (int j = 0; j < dimension; j++)
            {
                var scale = Math.Sqrt(covariance[i, i] * covariance[j, j]);
                Assert.True(Math.Abs(residualCov[i, j] - covariance[i, j]) <= tolerance * scale * 3,
                    $"Cov[r_{i}, r_{j}] = {residualCov[i, j]:F4}, exact posterior covariance {covariance[i, j]:F4}");
                Assert.True(Math.Abs(residualX[i, j]) <= tolerance * 3, $"Cov[r_{i}, x_{j}] = {residualX[i, j]:F4}, should be 0");
            }
        // The data are informative but not degenerate: the test exercises a real contraction.
        Assert.All(problem.Contraction(), s => Assert.InRange(s, 0.05, 0.95));
    }

    [Fact]
    public void SameArguments_SameTask()
    {
        var x = Enumerable.Range(0, 64).Select(i => Math.Sin(i)).ToArray();
        Assert.Equal(new CorrelatedLinearGaussianTask().ExactPosterior(x).Mean, new CorrelatedLinearGaussianTask().ExactPosterior(x).Mean);
    }

    [Fact]
    public void BadArguments_NameTheParameter()
    {
        Assert.Contains("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new CorrelatedLinearGaussianTask(1)).Message);
        Assert.Contains("noise", Assert.Throws<ArgumentOutOfRangeException>(() => new CorrelatedLinearGaussianTask(noise: 0)).Message);
        Assert.Contains("correlationLength", Assert.Throws<ArgumentOutOfRangeException>(() => new CorrelatedLinearGaussianTask(correlationLength: double.NaN)).Message);
        var problem = new CorrelatedLinearGaussianTask(4);
        Assert.Contains("length 4", Assert.Throws<ArgumentException>(() => problem.ExactPosterior(new double[3])).Message);
        Assert.Contains("x", Assert.Throws<ArgumentException>(() => problem.ExactPosterior(new[] { 0, double.NaN, 0, 0 })).Message);
    }
}
