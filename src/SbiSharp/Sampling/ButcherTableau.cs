namespace SbiSharp.Sampling;

/// <summary>An explicit Runge–Kutta tableau with an embedded error estimate whose last stage is evaluated at the new solution (FSAL).</summary>
/// <param name="C">Stage times c_i, as fractions of the step.</param>
/// <param name="A">Stage coefficients a_ij (row i has i entries).</param>
/// <param name="B">Weights of the propagated solution (one per stage before the FSAL stage).</param>
/// <param name="Error">Weights of the error estimate over all stages including the FSAL one (b − b̂).</param>
internal sealed record ButcherTableau(double[] C, double[][] A, double[] B, double[] Error)
{
    /// <summary>Stages needed for the solution.</summary>
    public int Stages => B.Length;

    /// <summary>Dormand–Prince 5(4) (Dormand &amp; Prince 1980), as in MATLAB's ode45 and scipy's RK45.</summary>
    public static ButcherTableau DormandPrince { get; } = new(
        new[] { 0, 1 / 5.0, 3 / 10.0, 4 / 5.0, 8 / 9.0, 1, 1 },
        new[]
        {
            Array.Empty<double>(),
            new[] { 1 / 5.0 },
            new[] { 3 / 40.0, 9 / 40.0 },
            new[] { 44 / 45.0, -56 / 15.0, 32 / 9.0 },
            new[] { 19372 / 6561.0, -25360 / 2187.0, 64448 / 6561.0, -212 / 729.0 },
            new[] { 9017 / 3168.0, -355 / 33.0, 46732 / 5247.0, 49 / 176.0, -5103 / 18656.0 },
        },
        new[] { 35 / 384.0, 0, 500 / 1113.0, 125 / 192.0, -2187 / 6784.0, 11 / 84.0 },
        new[]
        {
            35 / 384.0 - 5179 / 57600.0, 0, 500 / 1113.0 - 7571 / 16695.0, 125 / 192.0 - 393 / 640.0,
            -2187 / 6784.0 + 92097 / 339200.0, 11 / 84.0 - 187 / 2100.0, -1 / 40.0,
        });

    /// <summary>Tsitouras 5(4) (Tsitouras 2011, Comput. Math. Appl. 62:770), the default of DifferentialEquations.jl.</summary>
    public static ButcherTableau Tsitouras { get; } = new(
        new[] { 0, 0.161, 0.327, 0.9, 0.9800255409045097, 1, 1 },
        new[]
        {
            Array.Empty<double>(),
            new[] { 0.161 },
            new[] { -0.008480655492356989, 0.335480655492357 },
            new[] { 2.897153057105493, -6.359448489975075, 4.3622954328695815 },
            new[] { 5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525 },
            new[] { 5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383 },
        },
        new[] { 0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774 },
        new[]
        {
            -0.00178001105222577714, -0.0008164344596567469, 0.007880878010261995, -0.1447110071732629,
            0.5823571654525552, -0.45808210592918697, 0.015151515151515152,
        });
}
