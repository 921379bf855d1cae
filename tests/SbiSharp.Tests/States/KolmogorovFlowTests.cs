using SbiSharp.States;
using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Tests.States;

/// <summary>The pseudo-spectral Kolmogorov-flow solver against closed forms: the advection term of a two-mode field, the exact decay of a single-shell
/// field toward the laminar state, and the conservation of energy and enstrophy by the inviscid, unforced dynamics.</summary>
public class KolmogorovFlowTests
{
    /// <summary>x along columns, y along rows, both 2π·j/N, (N, N) each.</summary>
    private static (Tensor X, Tensor Y) Grid(int n)
    {
        var line = ScalarMath.Arange(n, ScalarType.Float64).Mul(2 * Math.PI / n);
        return (line.unsqueeze(0).expand(n, n), line.unsqueeze(1).expand(n, n));
    }

    private static double MaxAbs(Tensor a) { using var m = a.abs().max(); return m.item<double>(); }

    [Fact]
    public void Advection_MatchesTheClosedFormOfATwoModeField()
    {
        using var scope = NewDisposeScope();
        using var flow = new KolmogorovFlow(KolmogorovFlowOptions.Default with { Size = 16, Oversampling = 1, ForcingWavenumber = 2 });
        var (x, y) = Grid(16);
        // ω = sin x cos 2y + cos 3x, so ψ = sin x cos 2y / 5 + cos 3x / 9.
        var omega = (x.sin() * y.Mul(2.0).cos()).Plus(x.Mul(3.0).cos());
        var u = (x.sin() * y.Mul(2.0).sin()).Mul(-2.0 / 5);
        var v = (x.cos() * y.Mul(2.0).cos()).Mul(-1.0 / 5).Plus(x.Mul(3.0).sin().Mul(3.0 / 9));
        var omegaX = (x.cos() * y.Mul(2.0).cos()).Plus(x.Mul(3.0).sin().Mul(-3.0));
        var omegaY = (x.sin() * y.Mul(2.0).sin()).Mul(-2.0);
        var expected = (u * omegaX).Plus(v * omegaY);
        var actual = flow.Advection(omega.unsqueeze(0));
        Assert.True(MaxAbs(expected) > 0.5, "the test field must have a non-trivial advection term");
        Assert.True(MaxAbs(actual[0] - expected) < 1e-10, $"advection off the closed form by {MaxAbs(actual[0] - expected):G3}");
    }

    [Fact]
    public void SingleShellField_DecaysExactlyTowardTheLaminarState()
    {
        // On the shell |k| = 4 that holds the forcing, ψ ∝ ω and u·∇ω = 0: ω(t) = A cos 4y + e^{−λt}(ω₀ − A cos 4y), λ = ν·16 + α.
        using var scope = NewDisposeScope();
        var options = KolmogorovFlowOptions.Default with { Size = 16, Oversampling = 1, Reynolds = 100, Damping = 0.1, ForcingWavenumber = 4 };
        using var flow = new KolmogorovFlow(options);
        var (x, y) = Grid(16);
        var omega0 = x.Mul(4.0).sin().Mul(2.0).Plus(y.Mul(4.0).cos()).Plus(y.Mul(4.0).sin().Mul(0.5));
        var laminar = y.Mul(4.0).cos().Mul(flow.LaminarAmplitude);
        const double time = 3;
        var decay = Math.Exp(-(16 / options.Reynolds + options.Damping) * time);
        var expected = laminar.Plus((omega0 - laminar).Mul(decay));
        var actual = flow.Advance(omega0.unsqueeze(0), time);
        Assert.True(MaxAbs(actual[0] - expected) < 1e-6 * MaxAbs(expected), $"off the exact solution by {MaxAbs(actual[0] - expected):G3}");
        Assert.Equal(-4 / 0.26, flow.LaminarAmplitude, 12);
    }

    [Fact]
    public void InviscidUnforcedFlow_ConservesEnergyAndEnstrophy_ToFourthOrderInTheTimeStep()
    {
        // The 2/3-truncated Galerkin dynamics conserve both exactly; what is left is RK4's error, which must fall ~16× when dt halves.
        using var scope = NewDisposeScope();
        var options = KolmogorovFlowOptions.Default with { Size = 32, Oversampling = 1, Reynolds = 1e12, Damping = 0, ForcingAmplitude = 0, ForcingWavenumber = 1 };
        using var g = new Generator(4);
        Tensor omega0;
        using (var probe = new KolmogorovFlow(options)) omega0 = probe.RandomVorticity(2, g);
        var (e0, z0) = Invariants(omega0);
        var errors = new List<double>();
        foreach (var cfl in new[] { 0.5, 0.25 })
        {
            using var flow = new KolmogorovFlow(options with { Cfl = cfl });
            var omega = flow.Advance(omega0, 2.0);
            var (e1, z1) = Invariants(omega);
            var error = Enumerable.Range(0, 2).Max(b => Math.Max(Math.Abs(e1[b] / e0[b] - 1), Math.Abs(z1[b] / z0[b] - 1)));
            Assert.True(error < 1e-4, $"CFL {cfl}: energy or enstrophy changed by {error:G3}");
            errors.Add(error);
            using var change = (omega - omega0).norm() / omega0.norm();
            Assert.True(change.item<double>() > 0.3, $"the flow barely moved ({change.item<double>():G3}): the test would not see a wrong advection term");
        }
        Assert.True(errors[0] / errors[1] > 8, $"halving dt cut the invariants' drift only {errors[0] / errors[1]:G3}× ({errors[0]:G3} → {errors[1]:G3}); RK4 gives ~16×");
    }

    /// <summary>Σ|ω̂|²/|k|² and Σ|ω̂|² per field (unnormalized).</summary>
    private static (double[] Energy, double[] Enstrophy) Invariants(Tensor omega)
    {
        using var scope = NewDisposeScope();
        var n = omega.shape[1];
        var k = fft.fftfreq(n, dtype: ScalarType.Float64).Mul((double)n);
        var k2 = k.unsqueeze(1).Square().Plus(k.unsqueeze(0).Square());
        var power = fft.fft2(omega).abs().Square();
        var energy = (power * where(k2.Gt(0.0), k2.reciprocal(), zeros_like(k2))).sum(new long[] { 1, 2 });
        var enstrophy = power.sum(new long[] { 1, 2 });
        return (energy.data<double>().ToArray(), enstrophy.data<double>().ToArray());
    }

    [Fact]
    public void Snapshots_AreSeeded_CoarseGrained_ZeroMean_AndLeaveNoLiveTensors()
    {
        var options = KolmogorovFlowOptions.Default with { Size = 16, Oversampling = 2, SpinUp = 1, Interval = 0.5 };
        using var flow = new KolmogorovFlow(options);
        using var a = flow.Snapshots(2, 3, seed: 7);
        Assert.Equal(new long[] { 6, 1, 16, 16 }, a.shape);
        Assert.Equal(ScalarType.Float32, a.dtype);
        Assert.True(a.isfinite().all().item<bool>());
        using var b = flow.Snapshots(2, 3, seed: 7);
        Assert.True(a.equal(b).all().item<bool>(), "same seed, same snapshots");
        using var c = flow.Snapshots(2, 3, seed: 8);
        Assert.False(a.equal(c).all().item<bool>(), "another seed, other snapshots");
        using var mean = a.mean(new long[] { 1, 2, 3 }).abs().max();
        Assert.True(mean.item<float>() < 1e-4, "vorticity on the periodic square has zero mean");
        using var sd = a.std();
        Assert.True(sd.item<float>() > 0.5, "the snapshots must hold a flow, not a constant");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        flow.Snapshots(1, 2, seed: 1).Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void BadSettingsAndFields_AreRefusedByName()
    {
        Assert.Contains("`Size` must be an even number ≥ 8; got 7", Assert.Throws<ArgumentOutOfRangeException>(() => new KolmogorovFlow(KolmogorovFlowOptions.Default with { Size = 7 })).Message);
        Assert.Contains("`ForcingWavenumber` must be 1 to 5", Assert.Throws<ArgumentOutOfRangeException>(() => new KolmogorovFlow(KolmogorovFlowOptions.Default with { Size = 8, ForcingWavenumber = 6 })).Message);
        Assert.Contains("`Reynolds` must be a positive number; got NaN", Assert.Throws<ArgumentOutOfRangeException>(() => new KolmogorovFlow(KolmogorovFlowOptions.Default with { Reynolds = double.NaN })).Message);
        using var flow = new KolmogorovFlow(KolmogorovFlowOptions.Default with { Size = 8, Oversampling = 2, ForcingWavenumber = 2 });
        using var wrong = zeros(1, 8, 8, dtype: ScalarType.Float64);
        Assert.Contains("`vorticity` must have shape (B, 16, 16) (the simulation grid); got (1, 8, 8)", Assert.Throws<ArgumentException>(() => flow.Advance(wrong, 1)).Message);
        using var right = zeros(1, 16, 16, dtype: ScalarType.Float64);
        Assert.Contains("`duration` must be ≥ 0", Assert.Throws<ArgumentOutOfRangeException>(() => flow.Advance(right, -1)).Message);
    }
}
