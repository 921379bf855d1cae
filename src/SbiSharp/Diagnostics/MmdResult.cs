namespace SbiSharp.Diagnostics;

/// <summary>An MMD² estimate.</summary>
/// <param name="Value">Unbiased MMD² (can be slightly negative when the samples agree).</param>
/// <param name="Kernel">The kernel used.</param>
/// <param name="Bandwidth">The Gaussian bandwidth h (NaN for the inverse-multiquadric mixture).</param>
public sealed record MmdResult(double Value, MmdKernel Kernel, double Bandwidth);
