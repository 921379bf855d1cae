using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Diagnostics;

/// <summary>Test sets of the conjugate model θ ~ N(0, I), x ~ N(θ, s²I), whose posterior is N(x/(1+s²), s²/(1+s²)·I); draws can be made wrong on purpose.</summary>
internal static class ConjugateDraws
{
    public const double NoiseSd = 0.5;

    public static double PosteriorSd => Math.Sqrt(NoiseSd * NoiseSd / (1 + NoiseSd * NoiseSd));

    /// <summary>Returns (samples (N, n, D), truths (N, D)); the draws' sd is multiplied by <paramref name="widthFactor"/> and their mean moved by <paramref name="shift"/> posterior sds.</summary>
    public static (Tensor Samples, Tensor Truths) Make(int sets, int draws, int dimension, long seed, double widthFactor = 1, double shift = 0)
    {
        using var g = new Generator((ulong)seed);
        var truths = randn(new long[] { sets, dimension }, generator: g);
        using var x = truths.Plus(randn(new long[] { sets, dimension }, generator: g).Mul(NoiseSd));
        using var mean = x.Div((1 + NoiseSd * NoiseSd)).Add(shift * PosteriorSd);
        using var noise = randn(new long[] { sets, draws, dimension }, generator: g);
        var samples = mean.unsqueeze(1).Plus(noise.Mul(widthFactor * PosteriorSd));
        return (samples, truths);
    }
}
