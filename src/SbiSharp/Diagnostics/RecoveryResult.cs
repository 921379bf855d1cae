namespace SbiSharp.Diagnostics;

/// <summary>Parameter recovery over N simulated test sets (see <see cref="Recovery"/>).</summary>
/// <param name="Truths">True parameters, [N][D].</param>
/// <param name="PosteriorMeans">Posterior means, [N][D].</param>
/// <param name="PosteriorStds">Posterior standard deviations, [N][D].</param>
/// <param name="NormalizedRmse">RMSE of the posterior mean divided by the prior sd, per parameter.</param>
/// <param name="Contraction">Mean posterior contraction 1 − s²/σ²_prior, per parameter.</param>
/// <param name="ZScoreMean">Mean posterior z-score (m − θ*)/s, per parameter (≈ 0 when calibrated).</param>
/// <param name="ZScoreStd">Sd of the posterior z-scores, per parameter (≈ 1 when calibrated).</param>
/// <param name="Correlation">Pearson correlation of posterior mean and truth, per parameter (NaN when undefined).</param>
public sealed record RecoveryResult(
    IReadOnlyList<IReadOnlyList<double>> Truths,
    IReadOnlyList<IReadOnlyList<double>> PosteriorMeans,
    IReadOnlyList<IReadOnlyList<double>> PosteriorStds,
    IReadOnlyList<double> NormalizedRmse,
    IReadOnlyList<double> Contraction,
    IReadOnlyList<double> ZScoreMean,
    IReadOnlyList<double> ZScoreStd,
    IReadOnlyList<double> Correlation);
