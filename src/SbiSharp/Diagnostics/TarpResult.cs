namespace SbiSharp.Diagnostics;

/// <summary>TARP expected-coverage curve (see <see cref="Tarp"/>).</summary>
/// <param name="Alpha">Credibility levels α from 0 to 1.</param>
/// <param name="ExpectedCoverage">ECP(α); equals α when calibrated.</param>
/// <param name="MaxDeviation">max_α |ECP(α) − α|.</param>
/// <param name="AreaToCurve">Signed area between ECP and the diagonal above α = ½ (ATC): &gt; 0 under-confident, &lt; 0 over-confident.</param>
public sealed record TarpResult(IReadOnlyList<double> Alpha, IReadOnlyList<double> ExpectedCoverage, double MaxDeviation, double AreaToCurve);
