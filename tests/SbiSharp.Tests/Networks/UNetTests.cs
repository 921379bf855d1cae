using SbiSharp.Networks;
using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Networks;

public class UNetTests
{
    /// <summary>Perturbs every weight so that the zero-initialized layers do not hide the architecture.</summary>
    private static UNet Randomized(UNetSpec spec, int dx = 1)
    {
        using var g = new Generator(5);
        var net = new UNet(spec.StateDimension, dx, spec, g);
        using (no_grad())
            foreach (var p in net.parameters()) p.AddInPlace(randn(p.shape, generator: g), 0.1);
        return net;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Periodic_CommutesWithCircularShifts(int spatial)
    {
        var spec = UNetSpec.Default with { Shape = spatial == 2 ? new[] { 2, 8, 8 } : new[] { 2, 16 }, Width = 8, Attention = true };
        using var net = Randomized(spec);
        using var scope = NewDisposeScope();
        using var g = new Generator(1);
        var shape = new long[] { 3 }.Concat(spec.Shape.Select(s => (long)s)).ToArray();
        var x = randn(shape, generator: g);
        var time = rand(3, 1, generator: g);
        var c = randn(3, 1, generator: g);
        // Shifts by a multiple of 2^(levels − 1) = 4 keep the pooling cells aligned, so a periodic network commutes with them exactly.
        var dims = spatial == 2 ? new long[] { 2, 3 } : new long[] { 2 };
        var shifts = spatial == 2 ? new long[] { 4, -4 } : new long[] { 4 };
        var shiftedOutput = net.forward(x.roll(shifts, dims).reshape(3, -1), time, c).reshape(shape);
        var outputShifted = net.forward(x.reshape(3, -1), time, c).reshape(shape).roll(shifts, dims);
        Assert.True(shiftedOutput.allclose(outputShifted, 1e-4, 1e-4), $"max gap {(shiftedOutput - outputShifted).abs().max().item<float>()}");
        var zero = UNetSpec.Default with { Shape = spec.Shape, Width = 8, Padding = UNetPadding.Zero };
        using var bounded = Randomized(zero);
        var a = bounded.forward(x.roll(shifts, dims).reshape(3, -1), time, c).reshape(shape);
        var b = bounded.forward(x.reshape(3, -1), time, c).reshape(shape).roll(shifts, dims);
        Assert.False(a.allclose(b, 1e-4, 1e-4), "zero padding sees the edges, so it must not commute with a shift");
    }

    [Fact]
    public void Untrained_OutputsZero_AndEveryWeightGetsAGradientOnceTheZeroLayersMove()
    {
        var spec = UNetSpec.Default with { Shape = new[] { 1, 8, 8 }, Width = 8 };
        using var g = new Generator(2);
        using var fresh = new UNet(64, 1, spec, g);
        using var scope = NewDisposeScope();
        var x = randn(4, 64, generator: g);
        Assert.Equal(0, fresh.forward(x, zeros(4, 1), zeros(4, 1)).abs().max().item<float>());
        using var net = Randomized(spec);
        net.forward(x, rand(4, 1, generator: g), randn(4, 1, generator: g)).Square().sum().backward();
        foreach (var (name, p) in net.named_parameters())
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"no gradient reaches {name}");
    }

    [Fact]
    public void SameSeed_SameWeights()
    {
        var spec = UNetSpec.Default with { Shape = new[] { 1, 8, 8 }, Width = 8 };
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        using var a = new UNet(64, 1, spec, g1);
        using var b = new UNet(64, 1, spec, g2);
        foreach (var (p, q) in a.parameters().Zip(b.parameters())) Assert.True(p.equal(q).all().item<bool>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Convolution_IsTheDirectSum_WithPeriodicOrZeroEdges(bool periodic)
    {
        using var g = new Generator(11);
        using var conv = new UNetConvolution(2, 3, 2, 3, periodic);
        using var x = randn(new long[] { 2, 3, 4, 5 }, generator: g);
        using (no_grad()) { conv.Weight.copy_(randn(conv.Weight.shape, generator: g)); conv.Bias.copy_(randn(2, generator: g)); }
        using var y = conv.forward(x);
        var xv = x.data<float>().ToArray();
        var w = conv.Weight.data<float>().ToArray();
        var bias = conv.Bias.data<float>().ToArray();
        var yv = y.data<float>().ToArray();
        for (int b = 0; b < 2; b++) for (int o = 0; o < 2; o++) for (int i = 0; i < 4; i++) for (int j = 0; j < 5; j++)
        {
            double sum = bias[o];
            for (int c = 0; c < 3; c++) for (int di = -1; di <= 1; di++) for (int dj = -1; dj <= 1; dj++)
            {
                int ii = i + di, jj = j + dj;
                if (periodic) { ii = (ii + 4) % 4; jj = (jj + 5) % 5; }
                else if (ii < 0 || ii >= 4 || jj < 0 || jj >= 5) continue;
                sum += w[((o * 3 + c) * 3 + di + 1) * 3 + dj + 1] * xv[((b * 3 + c) * 4 + ii) * 5 + jj];
            }
            Assert.Equal(sum, yv[((b * 2 + o) * 4 + i) * 5 + j], 4);
        }
    }

    /// <summary>libtorch's own conv2d gave NaN or different values on repeats of this call (24 input channels, batch 2, 4×4): ours must not.</summary>
    [Fact]
    public void Convolution_RepeatsExactly_WhereLibtorchsDidNot()
    {
        using var g = new Generator(2);
        using var conv = new UNetConvolution(2, 24, 8, 3, periodic: true);
        using (no_grad()) conv.Weight.copy_(randn(conv.Weight.shape, generator: g).Mul(0.1));
        using var x = randn(new long[] { 2, 24, 4, 4 }, generator: g);
        using var first = conv.forward(x.clone());
        for (int i = 0; i < 200; i++)
        {
            using var scope = NewDisposeScope();
            Assert.True(conv.forward(x.clone()).equal(first).all().item<bool>(), $"repeat {i} differs");
            if (i % 25 == 0) GC.Collect();
        }
    }

    [Fact]
    public void BadSpecs_AreRefusedByName()
    {
        Assert.Contains("holds 64 values; the model's states have Dθ = 63", Assert.Throws<ArgumentException>(() => new UNet(63, 1, UNetSpec.Default with { Shape = new[] { 1, 8, 8 } })).Message);
        Assert.Contains("divisible by 2^2 = 4", Assert.Throws<ArgumentException>(() => (UNetSpec.Default with { Shape = new[] { 1, 6, 8 } }).Validate()).Message);
        Assert.Contains("`Groups` (8) must divide", Assert.Throws<ArgumentException>(() => (UNetSpec.Default with { Width = 12 }).Validate()).Message);
        Assert.Contains("(C, H, W) or (C, L)", Assert.Throws<ArgumentException>(() => (UNetSpec.Default with { Shape = new[] { 64 } }).Validate()).Message);
    }
}
