using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Guidance;

/// <summary>Sample mean and covariance as plain arrays.</summary>
internal static class Moments
{
    public static (double[] Mean, double[,] Covariance) Of(Tensor samples)
    {
        using var scope = NewDisposeScope();
        var s = samples.to(ScalarType.Float64);
        var mean = s.mean(new long[] { 0 });
        var centered = s - mean;
        var cov = centered.T.matmul(centered).Div((s.shape[0] - 1));
        var d = (int)s.shape[1];
        var flat = cov.data<double>().ToArray();
        var result = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                result[i, j] = flat[i * d + j];
        return (mean.data<double>().ToArray(), result);
    }
}
