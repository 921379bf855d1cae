using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>The two-step adaptive solver of the reverse SDE (Jolicoeur-Martineau et al. 2021, "Gotta Go Fast", arXiv:2105.14080, Alg. 1) — BayesFlow's default for diffusion.</summary>
/// <remarks>
/// Each attempt takes an Euler–Maruyama step θ′ and an improved-Euler step θ″ with the same noise; E = RMS((θ′ − θ″)/δ) with
/// δ = max(ε_abs, ε_rel·max(|θ′|, |θ′_prev|)). The step is accepted (keeping θ″) when E ≤ 1, and the next size is
/// safety·h·E^{−r}. Two denoiser calls per attempt; the counts of accepted and rejected steps are in <see cref="SamplingRun"/>.
/// </remarks>
public sealed class AdaptiveSdeSampler : AdaptiveSampler
{
    /// <summary>Creates the sampler.</summary>
    public AdaptiveSdeSampler(AdaptiveSdeOptions? options = null, double startTime = 1, double stopTime = 0)
        : base(startTime, stopTime) => Options = (options ?? AdaptiveSdeOptions.Default).Validate();

    /// <summary>Error control.</summary>
    public AdaptiveSdeOptions Options { get; }

    /// <inheritdoc />
    public override string Name => $"sde-adaptive-rtol{Options.RelativeTolerance:G2}";

    /// <inheritdoc />
    protected override (Tensor Theta, int Accepted, int Rejected) IntegrateAdaptively(IDenoiser denoiser, Tensor initial, Tensor x, Generator? generator, IProgress<int>? progress)
    {
        var o = Options;
        var span = StartTime - StopTime;
        var y = initial;
        Tensor previousEuler = initial.alias();
        double t = StartTime, size = Math.Min(o.InitialStep, span);
        int accepted = 0, rejected = 0;
        try
        {
            while (t > StopTime)
            {
                (size, var smallest, var last) = StepBudget.Next(t, StopTime, size, accepted, o.MinSteps, o.MaxSteps);
                var s = last ? StopTime : t - size;
                Internal.NativeHeap.AfterStep();
                using var scope = NewDisposeScope();
                var noise = randn(y.shape, dtype: y.dtype, device: y.device, generator: generator).Mul(Math.Sqrt(size));
                var (d1, g2t) = Drift(denoiser, y, t, x, scoreFactor: 1.0);
                var euler = (y - d1.Mul(size)).Plus(noise.Mul(Math.Sqrt(g2t)));
                var (d2, g2s) = Drift(denoiser, euler, s, x, scoreFactor: 1.0);
                var improved = (y - (d1.Plus(d2)).Mul(0.5 * size)).Plus(noise.Mul(0.5 * (Math.Sqrt(g2t) + Math.Sqrt(g2s))));
                var delta = maximum(maximum(euler.abs(), previousEuler.abs()).Mul(o.RelativeTolerance), ScalarMath.FullLike(euler, o.AbsoluteTolerance));
                var norm = ((euler - improved) / delta).Square().mean().sqrt().to(ScalarType.Float64).item<double>();
                if (!double.IsFinite(norm)) throw new InvalidOperationException($"The SDE solver produced non-finite values at t = {t:G4}; the model or its inputs are broken.");
                if (norm <= 1 || size <= smallest * (1 + 1e-9))
                {
                    var next = improved.MoveToOuterDisposeScope();
                    var nextEuler = euler.MoveToOuterDisposeScope();
                    y.Dispose();
                    previousEuler.Dispose();
                    (y, previousEuler) = (next, nextEuler);
                    t = s;
                    accepted++;
                    ReportProgress(progress, t);
                }
                else rejected++;
                size = o.Safety * size * Math.Pow(Math.Max(norm, 1e-10), -o.Exponent);
            }
        }
        finally
        {
            previousEuler.Dispose();
        }
        return (y, accepted, rejected);
    }
}
