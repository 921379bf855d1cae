using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.Priors;

internal static class PriorChecks
{
    public static void Theta(IPrior prior, Tensor theta) =>
        Check.Matrix(theta, prior.Dimension, nameof(theta), "to match the prior's dimension");

    public static void Count(long n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, $"`n` must be positive; got {n}.");
    }
}
