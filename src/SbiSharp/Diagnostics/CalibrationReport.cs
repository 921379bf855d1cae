using static TorchSharp.torch;

namespace SbiSharp.Diagnostics;

/// <summary>Every recovery and calibration diagnostic of one set of simulated test cases, computed from the same draws.</summary>
/// <param name="Recovery">Prior-normalized RMSE, contraction, z-scores, correlation.</param>
/// <param name="Sbc">SBC ranks, ECDF differences with simultaneous bands, log-gamma test.</param>
/// <param name="CalibrationError">Median coverage error over levels, with the coverage curve.</param>
/// <param name="Tarp">TARP expected-coverage curve.</param>
public sealed record CalibrationReport(RecoveryResult Recovery, SbcResult Sbc, CalibrationErrorResult CalibrationError, TarpResult Tarp)
{
    /// <summary>Computes all diagnostics.</summary>
    /// <param name="samples">Posterior draws, shape (N, n, D), N ≥ 2, n ≥ 2.</param>
    /// <param name="truths">True parameters drawn from the training prior, shape (N, D).</param>
    /// <param name="priorStd">Prior sd per parameter, shape (D); null estimates it from <paramref name="truths"/>.</param>
    /// <param name="sbc">SBC settings; null uses the defaults.</param>
    /// <param name="seed">Seed of TARP's reference points.</param>
    /// <exception cref="ArgumentException">Shapes disagree or values are not finite.</exception>
    public static CalibrationReport Compute(Tensor samples, Tensor truths, Tensor? priorStd = null, SbcOptions? sbc = null, long seed = 1)
    {
        var options = (sbc ?? SbcOptions.Default).Validate();
        // Checked and copied once for recovery and SBC, which both walk the draws per test set and parameter.
        var draws = PosteriorDraws.From(samples, truths, minimumSets: 2, minimumDraws: 2);
        return new(Diagnostics.Recovery.Compute(draws, priorStd),
            SimulationBasedCalibration.Compute(draws, options),
            Diagnostics.CalibrationError.Compute(samples, truths),
            Diagnostics.Tarp.Compute(samples, truths, seed));
    }
}
