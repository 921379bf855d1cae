using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Training;

/// <summary>Log-domain Sinkhorn between two equal-size uniform empirical measures (Cuturi 2013, arXiv:1306.0895; Peyré &amp; Cuturi 2019, Remark 4.23).</summary>
internal static class Sinkhorn
{
    /// <summary>The log of the entropic transport plan for <paramref name="cost"/> (already scaled to order 1), (B, B), rows summing to 1/B.</summary>
    public static Tensor LogPlan(Tensor cost, OptimalTransportOptions options, out int iterations)
    {
        using var scope = NewDisposeScope();
        var n = cost.shape[0];
        var logMarginal = -Math.Log(n);
        var logKernel = (-cost).Div(options.Regularization);
        var f = zeros(n, 1, dtype: cost.dtype, device: cost.device);
        var g = zeros(1, n, dtype: cost.dtype, device: cost.device);
        iterations = 0;
        for (int i = 0; i < options.MaxIterations; i++)
        {
            f = (logKernel.Plus(g)).logsumexp(1, keepdim: true).RSub(logMarginal);
            g = (logKernel.Plus(f)).logsumexp(0, keepdim: true).RSub(logMarginal);
            iterations = i + 1;
            // After the g update the columns are exact; the rows tell how far from converged the plan is.
            if (i % 10 == 9)
            {
                var rowError = ((logKernel.Plus(f).Plus(g)).logsumexp(1).Sub(logMarginal)).exp().Sub(1).abs().max().item<double>();
                if (rowError < options.Tolerance) break;
            }
        }
        return (logKernel.Plus(f).Plus(g)).MoveToOuterDisposeScope();
    }

    /// <summary>For each data row, the index of the noise row it is paired with, drawn from the row of the plan, (B,) int64.</summary>
    /// <param name="theta">Data, (B, D).</param>
    /// <param name="noise">Noise, (B, D).</param>
    /// <param name="x">Conditions, (B, Dx); used when the condition weight is positive.</param>
    /// <param name="options">Sinkhorn settings.</param>
    /// <param name="generator">Randomness of the draw.</param>
    public static Tensor Pairing(Tensor theta, Tensor noise, Tensor x, OptimalTransportOptions options, Generator? generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cost = Normalized(cdist(theta, noise).Square());
        if (options.ConditionWeight > 0) cost = cost.Plus(Normalized(cdist(x, x).Square()).Mul(options.ConditionWeight));
        var logPlan = LogPlan(cost.to(ScalarType.Float64), options, out _);
        var probabilities = (logPlan - logPlan.logsumexp(1, keepdim: true)).exp();
        return multinomial(probabilities, 1, replacement: true, generator: generator).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>A cost divided by its batch mean (left as is when all zero, e.g. a single observation).</summary>
    private static Tensor Normalized(Tensor cost) => cost / cost.mean().ClampMin(1e-12);
}
