namespace SbiSharp.Diagnostics;

/// <summary>Draws of a <see cref="RandomWalkMetropolis"/> run.</summary>
/// <param name="Draws">Kept draws, [draw][dimension].</param>
/// <param name="AcceptanceRate">Fraction of accepted proposals after burn-in.</param>
/// <param name="Scale">Proposal standard deviation after adaptation.</param>
public sealed record MetropolisResult(double[][] Draws, double AcceptanceRate, double Scale);
