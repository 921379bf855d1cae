using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Networks;

/// <summary>softplus and mish as the network computes them (libtorch's fused softplus called with held Scalars) equal their definitions, with finite gradients everywhere.</summary>
public class ActivationTests
{
    [Fact]
    public void Softplus_MatchesItsDefinitionAndTorchsThreshold_WithFiniteGradients()
    {
        using var scope = NewDisposeScope();
        var t = linspace(-100, 100, 4001, dtype: ScalarType.Float64).requires_grad_(true);
        var soft = t.Softplus();
        // log(1 + e^t) written stably by hand, and torch's rule of t itself above 20.
        using var twenty = 20.0.ToScalar();
        var reference = t.detach().clamp_max(twenty).exp().log1p();
        var expected = where(t.detach().gt(twenty), t.detach(), reference);
        Assert.True(soft.detach().allclose(expected, rtol: 1e-12, atol: 1e-12));
        soft.sum().backward();
        var gradient = t.grad!;
        Assert.True(gradient.isfinite().all().item<bool>());
        Assert.True(gradient.allclose(t.detach().sigmoid(), rtol: 1e-12, atol: 3e-9)); // d softplus / dt = sigmoid(t) (1 above the threshold, within e^-20)
        var scaled = t.detach().Softplus(beta: 2.0);
        Assert.True(scaled.allclose(t.detach().Mul(2.0).Softplus().Div(2.0), rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Softplus_LeavesNoLiveTensorsAndWorksUnderGcPressure()
    {
        using var t = linspace(-5, 5, 1000);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 2000; i++)
        {
            using var soft = t.Softplus();
            if (i % 100 == 0) GC.Collect();
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Mish_IsTTimesTanhSoftplus()
    {
        using var scope = NewDisposeScope();
        var t = linspace(-30, 30, 601, dtype: ScalarType.Float32);
        var expected = t * t.Softplus().tanh();
        Assert.True(t.Mish().allclose(expected, rtol: 1e-6, atol: 1e-7));
        Assert.True(t.Mish().isfinite().all().item<bool>());
    }
}
