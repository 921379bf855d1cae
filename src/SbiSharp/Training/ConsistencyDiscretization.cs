using MathNet.Numerics;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Training;

/// <summary>The noise levels of discrete consistency training and distillation: the Karras grid σ_0 = σ_min &lt; … &lt; σ_N = σ_max (ρ = 7) over the schedule's range,
/// and the log-normal choice of the adjacent pair (σ_i, σ_{i+1}) of improved consistency training (Song &amp; Dhariwal 2023, arXiv:2310.14189, §3.5).</summary>
internal sealed class ConsistencyDiscretization
{
    private readonly double[] _sigmas;
    private readonly double[] _probabilities;

    /// <summary>Builds the grid with <paramref name="intervals"/> intervals.</summary>
    /// <param name="schedule">Its λ range gives σ_min = e^{−λ_max/2} and σ_max = e^{−λ_min/2}.</param>
    /// <param name="intervals">N ≥ 1.</param>
    /// <param name="meanLogSigma">P_mean of the log-normal over ln σ.</param>
    /// <param name="sdLogSigma">P_std of the log-normal.</param>
    public ConsistencyDiscretization(INoiseSchedule schedule, int intervals, double meanLogSigma, double sdLogSigma)
    {
        double sigmaMin = Math.Exp(-schedule.LogSnrMax / 2), sigmaMax = Math.Exp(-schedule.LogSnrMin / 2);
        const double rho = 7;
        _sigmas = new double[intervals + 1];
        for (int i = 0; i <= intervals; i++)
            _sigmas[i] = Math.Pow(Math.Pow(sigmaMin, 1 / rho) + (double)i / intervals * (Math.Pow(sigmaMax, 1 / rho) - Math.Pow(sigmaMin, 1 / rho)), rho);
        _sigmas[0] = sigmaMin;
        _sigmas[intervals] = sigmaMax;
        _probabilities = new double[intervals];
        double Cdf(double sigma) => SpecialFunctions.Erf((Math.Log(sigma) - meanLogSigma) / (Math.Sqrt(2) * sdLogSigma));
        for (int i = 0; i < intervals; i++) _probabilities[i] = Math.Max(Cdf(_sigmas[i + 1]) - Cdf(_sigmas[i]), 1e-12);
    }

    /// <summary>N, the number of intervals.</summary>
    public int Intervals => _probabilities.Length;

    /// <summary>σ_i, i = 0..N.</summary>
    public IReadOnlyList<double> Sigmas => _sigmas;

    /// <summary>Draws one interval per row: (σ_i, σ_{i+1}) as two (B, 1) tensors of <paramref name="dtype"/>.</summary>
    public (Tensor Lower, Tensor Upper) Draw(long rows, Generator? generator, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var weights = tensor(_probabilities, dtype: ScalarType.Float64);
        var index = multinomial(weights, rows, replacement: true, generator: generator);
        var sigmas = tensor(_sigmas, dtype: ScalarType.Float64);
        var lower = sigmas.index_select(0, index).unsqueeze(1).to(dtype).to(device);
        var upper = sigmas.index_select(0, index.Add(1L)).unsqueeze(1).to(dtype).to(device);
        return (lower.MoveToOuterDisposeScope(), upper.MoveToOuterDisposeScope());
    }

    /// <summary>The curriculum N(k) = min(s₀·2^⌊k/K'⌋, s₁), K' = ⌊K/(log₂(s₁/s₀) + 1)⌋ (Song &amp; Dhariwal 2023, §3.4), over <paramref name="curriculumSteps"/> = K steps.</summary>
    public static int Curriculum(long step, int initial, int final, long curriculumSteps)
    {
        var stage = Math.Max(1L, (long)Math.Floor(curriculumSteps / (Math.Log2((double)final / initial) + 1)));
        var doublings = Math.Min(step / stage, 30);
        return (int)Math.Min((long)initial << (int)doublings, final);
    }
}
