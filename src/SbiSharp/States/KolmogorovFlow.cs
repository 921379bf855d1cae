using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.States;

/// <summary>
/// 2-D Kolmogorov flow: the vorticity equation ∂ω/∂t + u·∇ω = νΔω − αω − F k cos(ky) on the periodic square [0, 2π]², solved pseudo-spectrally
/// (rfft2; 2/3-rule dealiasing; the velocity u = (∂ψ/∂y, −∂ψ/∂x) from the stream function −Δψ = ω; integrating-factor RK4 with the viscous and drag
/// terms exact; adaptive dt = CFL·Δx/max|u|). The physical field whose learned prior the states half recovers from coarse or sparse observations.
/// </summary>
/// <remarks>
/// Fields are vorticity on an N×N grid, (B, N, N), row index y and column index x, both at 2π·j/N. The solver works in float64 on
/// <see cref="KolmogorovFlowOptions.SimulationSize"/>² and <see cref="Snapshots"/> returns float32 block means on <see cref="KolmogorovFlowOptions.Size"/>².
/// One time step advances a whole batch with one dt (the smallest the batch needs), so a trajectory's path depends on the batch it ran in; the same
/// options, counts and seed give the same snapshots.
/// </remarks>
public sealed class KolmogorovFlow : IDisposable
{
    private readonly int _n;
    private readonly Tensor _ikx, _iky, _k2, _inverseLaplacian, _dealias, _linear, _forcing;

    /// <summary>Creates the solver.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of range (see <see cref="KolmogorovFlowOptions.Validate"/>).</exception>
    public KolmogorovFlow(KolmogorovFlowOptions? options = null)
    {
        Options = options ?? KolmogorovFlowOptions.Default;
        Options.Validate();
        _n = Options.SimulationSize;
        using var scope = NewDisposeScope();
        var ky = fft.fftfreq(_n, dtype: ScalarType.Float64).Mul((double)_n).unsqueeze(1).expand(_n, _n / 2 + 1);
        var kx = fft.rfftfreq(_n, dtype: ScalarType.Float64).Mul((double)_n).unsqueeze(0).expand(_n, _n / 2 + 1);
        var k2 = ky.Square().Plus(kx.Square());
        _ikx = Imaginary(kx).DetachFromDisposeScope();
        _iky = Imaginary(ky).DetachFromDisposeScope();
        _k2 = k2.contiguous().DetachFromDisposeScope();
        _inverseLaplacian = where(k2.Gt(0.0), k2.reciprocal(), zeros_like(k2)).DetachFromDisposeScope();
        using var cut = (_n / 3.0).ToScalar();
        _dealias = kx.abs().lt(cut).logical_and(ky.abs().lt(cut)).to(ScalarType.Float64).DetachFromDisposeScope();
        _linear = k2.Mul(-1.0 / Options.Reynolds).Sub(Options.Damping).DetachFromDisposeScope();
        var y = ScalarMath.Arange(_n, ScalarType.Float64).Mul(2 * Math.PI / _n).unsqueeze(1).expand(_n, _n);
        var forcing = y.Mul((double)Options.ForcingWavenumber).cos().Mul(-Options.ForcingAmplitude * Options.ForcingWavenumber);
        _forcing = (fft.rfft2(forcing) * _dealias).DetachFromDisposeScope();
    }

    /// <summary>The settings.</summary>
    public KolmogorovFlowOptions Options { get; }

    /// <summary>A of the laminar steady state ω = A cos(ky): A = −F k / (ν k² + α) (unstable at the default Reynolds number).</summary>
    public double LaminarAmplitude
    {
        get
        {
            double k = Options.ForcingWavenumber;
            return -Options.ForcingAmplitude * k / (k * k / Options.Reynolds + Options.Damping);
        }
    }

    /// <summary>Random smooth initial vorticity on the simulation grid, (count, N, N), float64: white noise filtered to wavenumbers around 4, zero mean,
    /// root-mean-square 3 per field.</summary>
    public Tensor RandomVorticity(int count, Generator? generator = null)
    {
        Internal.Check.PositiveValue(count, nameof(count));
        using var scope = NewDisposeScope();
        var white = randn(new long[] { count, _n, _n }, dtype: ScalarType.Float64, generator: generator);
        var filter = _k2.Div(-32.0).exp().mul(_k2.sqrt()) * _dealias;
        var field = fft.irfft2(fft.rfft2(white) * filter, s: new long[] { _n, _n });
        var rms = field.Square().mean(new long[] { 1, 2 }, keepdim: true).sqrt();
        return field.div(rms).Mul(3.0).MoveToOuterDisposeScope();
    }

    /// <summary>Advances vorticity fields (B, N, N) on the simulation grid by <paramref name="duration"/> time units; returns (B, N, N), float64.</summary>
    /// <exception cref="ArgumentException">Fields of another shape.</exception>
    /// <exception cref="InvalidOperationException">The flow blew up (non-finite values): lower <see cref="KolmogorovFlowOptions.Cfl"/> or raise the resolution.</exception>
    public Tensor Advance(Tensor vorticity, double duration)
    {
        ArgumentNullException.ThrowIfNull(vorticity);
        CheckField(vorticity, nameof(vorticity));
        if (!(duration >= 0) || !double.IsFinite(duration)) throw new ArgumentOutOfRangeException(nameof(duration), duration, $"`duration` must be ≥ 0; got {duration}.");
        using var scope = NewDisposeScope();
        var w = (fft.rfft2(vorticity.to(ScalarType.Float64)) * _dealias).DetachFromDisposeScope();
        try
        {
            w = Integrate(w, duration);
            return fft.irfft2(w, s: new long[] { _n, _n }).MoveToOuterDisposeScope();
        }
        finally { w.Dispose(); }
    }

    /// <summary>
    /// Simulates <paramref name="trajectories"/> flows from random initial conditions (seeded by <paramref name="seed"/>), spins them up for
    /// <see cref="KolmogorovFlowOptions.SpinUp"/> and records <paramref name="snapshotsPerTrajectory"/> snapshots <see cref="KolmogorovFlowOptions.Interval"/>
    /// apart: (trajectories · snapshots, 1, Size, Size), float32, trajectory-major (row r is trajectory r / snapshots), coarse-grained from the simulation grid.
    /// Snapshots of one trajectory are correlated: split training and test sets by trajectory.
    /// </summary>
    public Tensor Snapshots(int trajectories, int snapshotsPerTrajectory, int seed, IProgress<double>? progress = null)
    {
        Internal.Check.PositiveValue(trajectories, nameof(trajectories));
        Internal.Check.PositiveValue(snapshotsPerTrajectory, nameof(snapshotsPerTrajectory));
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        using var initial = RandomVorticity(trajectories, generator);
        var w = (fft.rfft2(initial) * _dealias).DetachFromDisposeScope();
        var pool = new AveragePooling(_n, _n, Options.Oversampling);
        var total = Options.SpinUp + (snapshotsPerTrajectory - 1) * Options.Interval;
        var frames = new List<Tensor>();
        try
        {
            w = Integrate(w, Options.SpinUp, progress, 0, total);
            for (var s = 0; s < snapshotsPerTrajectory; s++)
            {
                if (s > 0) w = Integrate(w, Options.Interval, progress, Options.SpinUp + (s - 1) * Options.Interval, total);
                using var physical = fft.irfft2(w, s: new long[] { _n, _n });
                using var flat = physical.reshape(trajectories, _n * _n);
                frames.Add(pool.Apply(flat).to(ScalarType.Float32));
            }
            progress?.Report(1);
            var stacked = stack(frames, 1);
            return stacked.reshape(trajectories * snapshotsPerTrajectory, 1, Options.Size, Options.Size).MoveToOuterDisposeScope();
        }
        finally { w.Dispose(); }
    }

    /// <summary>u·∇ω of physical vorticity fields (B, N, N): the advection term, exposed for tests against closed forms.</summary>
    internal Tensor Advection(Tensor vorticity)
    {
        using var scope = NewDisposeScope();
        var (advection, _) = AdvectionTerm(fft.rfft2(vorticity.to(ScalarType.Float64)) * _dealias);
        return fft.irfft2(advection, s: new long[] { _n, _n }).MoveToOuterDisposeScope();
    }

    private Tensor Integrate(Tensor w, double duration, IProgress<double>? progress = null, double offset = 0, double total = 1)
    {
        var dx = 2 * Math.PI / _n;
        var t = 0.0;
        var steps = 0;
        try
        {
        while (t < duration)
        {
            using var scope = NewDisposeScope();
            var k1 = Nonlinear(w, out var speed);
            if (!double.IsFinite(speed))
                throw new InvalidOperationException($"The Kolmogorov flow blew up at t = {offset + t:G4} (non-finite velocity): lower `Cfl` ({Options.Cfl}) or raise `Oversampling` ({Options.Oversampling}).");
            var dt = Math.Min(Options.MaxTimeStep, speed > 0 ? Options.Cfl * dx / speed : double.PositiveInfinity);
            if (dt < 1e-7)
                throw new InvalidOperationException($"The Kolmogorov flow's time step fell to {dt:G3} at t = {offset + t:G4} (max |u| = {speed:G3}): the flow is unresolved; raise `Oversampling` or `Damping`.");
            if (duration - t < dt * (1 + 1e-9)) dt = duration - t;
            var half = (_linear.Mul(dt / 2)).exp();
            var full = half.Square();
            var k2 = Nonlinear(half * w.Plus(k1.Mul(dt / 2)), out _);
            var k3 = Nonlinear((half * w).Plus(k2.Mul(dt / 2)), out _);
            var k4 = Nonlinear((full * w).Plus((half * k3).Mul(dt)), out _);
            var increment = (full * k1).Plus((half * k2.Plus(k3)).Mul(2.0)).Plus(k4).Mul(dt / 6);
            var next = (full * w).Plus(increment).DetachFromDisposeScope();
            w.Dispose();
            w = next;
            t += dt;
            if (++steps % 20 == 0) progress?.Report(Math.Min(1, (offset + t) / Math.Max(total, 1e-12)));
        }
        }
        catch
        {
            w.Dispose();
            throw;
        }
        return w;
    }

    /// <summary>−P(u·∇ω) + f in Fourier space, and max |u| over the batch.</summary>
    private Tensor Nonlinear(Tensor w, out double speed)
    {
        var (advection, velocity) = AdvectionTerm(w);
        using var max = velocity.abs().max();
        speed = max.item<double>();
        return _forcing.sub(advection);
    }

    /// <summary>P(u·∇ω) in Fourier space (dealiased) and the velocity (B, 2, N, N).</summary>
    private (Tensor Advection, Tensor Velocity) AdvectionTerm(Tensor w)
    {
        var psi = w * _inverseLaplacian;
        var spectra = stack(new[] { _iky * psi, (_ikx * psi).neg(), _ikx * w, _iky * w }, 1);
        var fields = fft.irfft2(spectra, s: new long[] { _n, _n });
        var velocity = fields[.., ..2];
        var gradient = fields[.., 2..];
        var product = (velocity * gradient).sum(1);
        return (fft.rfft2(product) * _dealias, velocity);
    }

    private void CheckField(Tensor field, string name)
    {
        if (field.dim() != 3 || field.shape[1] != _n || field.shape[2] != _n)
            throw new ArgumentException($"`{name}` must have shape (B, {_n}, {_n}) (the simulation grid); got ({string.Join(", ", field.shape)}).", name);
    }

    private static Tensor Imaginary(Tensor k) => view_as_complex(stack(new[] { zeros_like(k), k }, -1).contiguous());

    /// <inheritdoc />
    public void Dispose()
    {
        _ikx.Dispose();
        _k2.Dispose();
        _iky.Dispose();
        _inverseLaplacian.Dispose();
        _dealias.Dispose();
        _linear.Dispose();
        _forcing.Dispose();
    }
}
