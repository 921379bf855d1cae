using SbiSharp.Denoising;
using SbiSharp.Networks;
using SbiSharp.Noise;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Networks;

public class ResidualMlpTests
{
    [Fact]
    public void Forward_SharedObservationAndTime_EqualsRowByRowInputs()
    {
        using var network = new ResidualMlp(3, 4, NetworkOptions.Default with { Width = 32, Blocks = 3, Dropout = 0 }, new Generator(1));
        using (no_grad())
            foreach (var p in network.parameters()) p.normal_(0, 0.3, generator: new Generator(2));
        network.eval();
        using var generator = new Generator(3);
        using var theta = randn(new long[] { 50, 3 }, generator: generator);
        using var x = randn(new long[] { 1, 4 }, generator: generator);
        using var time = ScalarMath.Full(1, 1, 0.3f);
        using var full1 = network.forward(theta, time.expand(50, 1).contiguous(), x.expand(50, 4).contiguous());
        using var compact = network.forward(theta, time, x);
        Assert.True(full1.allclose(compact, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Denoise_OneObservationForAllRows_EqualsTheGeneralPath()
    {
        // The denoiser switches to the compact path when all rows share x and λ; a batch whose last row differs takes the general path.
        using var network = new ResidualMlp(2, 2, NetworkOptions.Default with { Width = 32, Blocks = 2, Dropout = 0 }, new Generator(1));
        using (no_grad())
            foreach (var p in network.parameters()) p.normal_(0, 0.3, generator: new Generator(2));
        network.eval();
        var denoiser = new NetworkDenoiser(network, new EdmSchedule(), new EdmParameterization());
        using var generator = new Generator(3);
        using var theta = randn(new long[] { 40, 2 }, generator: generator);
        using var x = tensor(new[] { 0.2f, -0.1f }).unsqueeze(0).expand(40, 2).contiguous();
        using var lambda = ScalarMath.Full(40, 1, 1.5f);
        using var shared = denoiser.Denoise(theta, lambda, x);
        using var xDiffers = x.clone();
        xDiffers[39, 0] = tensor(5.0f);
        using var general = denoiser.Denoise(theta, lambda, xDiffers);
        Assert.True(shared.narrow(0, 0, 39).allclose(general.narrow(0, 0, 39), rtol: 1e-5, atol: 1e-5));
        Assert.False(shared[39].allclose(general[39]));
    }
}
