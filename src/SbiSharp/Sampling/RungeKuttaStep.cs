using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Sampling;

/// <summary>One explicit Runge–Kutta step of the probability-flow ODE for a <see cref="ButcherTableau"/>, with the embedded error estimate when asked.</summary>
internal static class RungeKuttaStep
{
    /// <summary>The probability-flow velocity dθ/dt at time t.</summary>
    public static Tensor Velocity(IDenoiser denoiser, Tensor theta, double t, Tensor x) => DiffusionSampler.Drift(denoiser, theta, t, x, scoreFactor: 0.5).Drift;

    /// <summary>One step of size <paramref name="h"/> (negative: towards data); with <paramref name="withError"/>, also the error estimate and the FSAL stage.</summary>
    public static (Tensor Solution, Tensor? Error, Tensor? Fsal) Attempt(ButcherTableau tab, IDenoiser denoiser, Tensor y, double t, double h, Tensor x, Tensor? first, bool withError)
    {
        var k = new Tensor[tab.Stages + 1];
        k[0] = first ?? Velocity(denoiser, y, t, x);
        for (int i = 1; i < tab.Stages; i++)
        {
            var stage = y.clone();
            for (int j = 0; j < i; j++)
                if (tab.A[i][j] != 0) stage.AddInPlace(k[j], h * tab.A[i][j]);
            k[i] = Velocity(denoiser, stage, Math.Max(0, t + tab.C[i] * h), x);
        }
        var solution = y.clone();
        for (int i = 0; i < tab.Stages; i++)
            if (tab.B[i] != 0) solution.AddInPlace(k[i], h * tab.B[i]);
        if (!withError) return (solution, null, null);
        k[tab.Stages] = Velocity(denoiser, solution, Math.Max(0, t + h), x);
        var error = zeros_like(y);
        for (int i = 0; i <= tab.Stages; i++)
            if (tab.Error[i] != 0) error.AddInPlace(k[i], h * tab.Error[i]);
        return (solution, error, k[tab.Stages].alias());
    }
}
