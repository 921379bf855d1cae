using SbiSharp.Priors;
using SbiSharp.Spaces;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Spaces;

/// <summary>The bijection to unconstrained space: inverse of itself, exact log-Jacobian, chosen from the support, refused where it does not fit.</summary>
public class ParameterTransformTests
{
    private static readonly Support Mixed = new(new[] { -1.0, 0.0, double.NegativeInfinity, double.NegativeInfinity }, new[] { 2.0, double.PositiveInfinity, 5.0, double.PositiveInfinity });

    [Fact]
    public void For_ChoosesLogitLogNegatedLogAndIdentity()
    {
        var t = ParameterTransform.Unconstrained(Mixed);
        Assert.Equal(new[] { CoordinateTransform.Logit, CoordinateTransform.Log, CoordinateTransform.NegatedLog, CoordinateTransform.Identity }, t.Kinds);
        Assert.False(t.IsIdentity);
        Assert.True(ParameterTransform.Identity(Mixed).IsIdentity);
    }

    [Fact]
    public void InverseOfForward_IsTheIdentityInsideTheSupport()
    {
        var t = ParameterTransform.Unconstrained(Mixed);
        using var scope = NewDisposeScope();
        using var g = new Generator(1);
        var u0 = randn(500, 4, generator: g, dtype: ScalarType.Float64).mul(tensor(3.0, ScalarType.Float64));
        var theta = t.Inverse(u0);
        Assert.True(Mixed.Contains(theta).all().item<bool>());
        var u1 = t.Forward(theta);
        Assert.True(allclose(u0, u1, rtol: 1e-9, atol: 1e-9));
    }

    [Fact]
    public void LogAbsDetInverse_MatchesTheDerivativeByAutograd()
    {
        var t = ParameterTransform.Unconstrained(Mixed);
        using var scope = NewDisposeScope();
        using var g = new Generator(2);
        var u = randn(64, 4, generator: g, dtype: ScalarType.Float64).requires_grad_(true);
        var theta = t.Inverse(u);
        // The map is per coordinate: its Jacobian is diagonal, dθᵢ/duᵢ = ∂(Σθᵢ)/∂uᵢ.
        var diagonal = autograd.grad(new[] { theta.sum() }, new[] { u })[0];
        var expected = diagonal.abs().log().sum(1);
        Assert.True(allclose(t.LogAbsDetInverse(u.detach()), expected, rtol: 1e-9, atol: 1e-9));
    }

    [Fact]
    public void Forward_ValuesOnTheBounds_AreFinite()
    {
        var t = ParameterTransform.Unconstrained(new Support(new[] { -1.0 }, new[] { 1.0 }));
        using var scope = NewDisposeScope();
        var u = t.Forward(tensor(new[] { -1f, 1f, 0f }).unsqueeze(1));
        Assert.True(u.isfinite().all().item<bool>());
        Assert.Equal(0.0, u[2, 0].item<float>(), 6);
    }

    [Theory]
    [InlineData(CoordinateTransform.Logit, 1)]
    [InlineData(CoordinateTransform.Log, 2)]
    [InlineData(CoordinateTransform.NegatedLog, 1)]
    public void Constructor_TransformThatDoesNotFitTheInterval_IsRefused(CoordinateTransform kind, int coordinate)
    {
        var kinds = new CoordinateTransform[4];
        kinds[coordinate] = kind;
        var e = Assert.Throws<ArgumentException>(() => new ParameterTransform(Mixed, kinds));
        Assert.Contains($"`kinds[{coordinate}]` = {kind} does not fit coordinate {coordinate + 1}'s support", e.Message);
    }

    [Fact]
    public void ForwardValue_OutsideTheSupport_NamesTheValueAndTheInterval()
    {
        var t = ParameterTransform.Unconstrained(Mixed);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => t.ForwardValue(0, 3.0, "values[0]"));
        Assert.Contains("`values[0]` = 3 lies outside coordinate 1's support [-1, 2]", e.Message);
    }

    [Fact]
    public void Json_RoundTripsInfiniteBounds()
    {
        var t = ParameterTransform.Unconstrained(Mixed);
        var json = System.Text.Json.JsonSerializer.Serialize(t);
        var back = System.Text.Json.JsonSerializer.Deserialize<ParameterTransform>(json)!;
        Assert.Equal(t.Kinds, back.Kinds);
        Assert.Equal(t.Support.Lower, back.Support.Lower);
        Assert.Equal(t.Support.Upper, back.Support.Upper);
        Assert.Contains("\"Logit\"", json);
    }
}
