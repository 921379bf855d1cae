namespace SbiSharp.States;

/// <summary>Settings of <see cref="KolmogorovFlow"/>: 2-D incompressible Navier–Stokes on the periodic square [0, 2π]² with sinusoidal forcing and
/// linear drag (the data set of score-based data assimilation, Rozet &amp; Louppe 2023). Each default is set here once.</summary>
public sealed record KolmogorovFlowOptions
{
    /// <summary>The defaults.</summary>
    public static KolmogorovFlowOptions Default { get; } = new();

    /// <summary>Side of the output grid (the snapshots are Size × Size).</summary>
    public int Size { get; init; } = 64;

    /// <summary>The solver runs on a grid <c>Oversampling</c> times finer and the snapshots are its block means (coarse-graining), as the data set of
    /// score-based data assimilation is coarsened from 256² to 64².</summary>
    public int Oversampling { get; init; } = 2;

    /// <summary>Re = 1/ν.</summary>
    public double Reynolds { get; init; } = 1000;

    /// <summary>α, the linear drag −αω.</summary>
    public double Damping { get; init; } = 0.1;

    /// <summary>k of the forcing: velocity forcing (F sin ky, 0), vorticity forcing −F k cos ky.</summary>
    public int ForcingWavenumber { get; init; } = 4;

    /// <summary>F, the forcing amplitude (0: decaying turbulence).</summary>
    public double ForcingAmplitude { get; init; } = 1;

    /// <summary>Time from the random initial condition to the first snapshot (the flow forgets its start).</summary>
    public double SpinUp { get; init; } = 30;

    /// <summary>Time between two snapshots of one trajectory.</summary>
    public double Interval { get; init; } = 4;

    /// <summary>The Courant number of the adaptive time step, dt = CFL·Δx / max|u|.</summary>
    public double Cfl { get; init; } = 0.5;

    /// <summary>The largest time step, for slow flows.</summary>
    public double MaxTimeStep { get; init; } = 0.05;

    /// <summary>The simulation grid's side, <see cref="Size"/> · <see cref="Oversampling"/>.</summary>
    public int SimulationSize => Size * Oversampling;

    /// <summary>Throws on a setting out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of range.</exception>
    public void Validate()
    {
        if (Size < 8 || Size % 2 != 0) throw new ArgumentOutOfRangeException(nameof(Size), Size, $"`Size` must be an even number ≥ 8; got {Size}.");
        if (Oversampling < 1 || Oversampling > 8) throw new ArgumentOutOfRangeException(nameof(Oversampling), Oversampling, $"`Oversampling` must be 1 to 8; got {Oversampling}.");
        Positive(Reynolds, nameof(Reynolds));
        if (!(Damping >= 0) || !double.IsFinite(Damping)) throw new ArgumentOutOfRangeException(nameof(Damping), Damping, $"`Damping` must be ≥ 0; got {Damping}.");
        if (ForcingWavenumber < 1 || 3 * ForcingWavenumber >= SimulationSize)
            throw new ArgumentOutOfRangeException(nameof(ForcingWavenumber), ForcingWavenumber, $"`ForcingWavenumber` must be 1 to {(SimulationSize - 1) / 3} (resolved on a {SimulationSize}² grid after dealiasing); got {ForcingWavenumber}.");
        if (!double.IsFinite(ForcingAmplitude)) throw new ArgumentOutOfRangeException(nameof(ForcingAmplitude), ForcingAmplitude, $"`ForcingAmplitude` must be finite; got {ForcingAmplitude}.");
        if (!(SpinUp >= 0) || !double.IsFinite(SpinUp)) throw new ArgumentOutOfRangeException(nameof(SpinUp), SpinUp, $"`SpinUp` must be ≥ 0; got {SpinUp}.");
        Positive(Interval, nameof(Interval));
        if (!(Cfl > 0 && Cfl <= 1.5)) throw new ArgumentOutOfRangeException(nameof(Cfl), Cfl, $"`Cfl` must be in (0, 1.5]; got {Cfl}.");
        Positive(MaxTimeStep, nameof(MaxTimeStep));
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"`{name}` must be a positive number; got {value}.");
    }
}
