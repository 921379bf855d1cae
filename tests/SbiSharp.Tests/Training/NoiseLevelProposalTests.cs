using SbiSharp.Noise;
using SbiSharp.Tests.Estimators;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Training;

public class NoiseLevelProposalTests
{
    public static TheoryData<string, string, string> Combinations() => DesignSpaceTests.Combinations();

    [Theory]
    [MemberData(nameof(Combinations))]
    public void EffectiveSampleFraction_ImportanceSampled_IsAtLeastTheNonUniformShare(string prediction, string loss, string weighting)
    {
        // W/q ≤ E W/(1 − ρ) bounds E[W²/q] by (E W)²/(1 − ρ): the fraction is ≥ 1 − ρ = 0.9 whatever the objective.
        foreach (var schedule in new INoiseSchedule[] { new EdmSchedule(), new CosineSchedule(), new LinearVPSchedule() })
        {
            var fraction = ObjectiveConditioning.EffectiveSampleFraction(schedule, DesignSpaceTests.Prediction(prediction), DesignSpaceTests.Prediction(loss), DesignSpaceTests.Weighting(weighting), importanceSampled: true);
            Assert.InRange(fraction, 1 - NoiseLevelProposal.UniformShare - 1e-9, 1 + 1e-9);
        }
    }

    [Fact]
    public void Transform_StratifiedUniforms_FollowTheProposalAndKeepTheObjective()
    {
        // Likelihood weighting of F under EDM: the most uneven objective in the grid (fraction 0.005 without the proposal).
        var schedule = new EdmSchedule();
        var prediction = new SbiSharp.Denoising.EdmParameterization();
        var weighting = new LikelihoodWeighting();
        using var proposal = new NoiseLevelProposal(schedule, prediction, new SbiSharp.Denoising.NoiseParameterization(), weighting);
        const int n = 200_000;
        using var scope = NewDisposeScope();
        var v = ((ScalarMath.Arange(n, dtype: ScalarType.Float64).Add(0.5)).Div(n)).unsqueeze(1);
        var (u, q) = proposal.Transform(v);
        Assert.True(u.Ge(0).all().item<bool>() && u.Le(1).all().item<bool>());
        Assert.True(q.Gt(0).all().item<bool>());
        // Monotone: the inverse CDF of a positive density.
        Assert.True(u.squeeze(1).diff().Ge(0).all().item<bool>());
        // Importance identity E_q[W·f/q] = E_U[W·f] for smooth and step test functions: holds only if the draws follow q.
        // The output-space weight W = w·c²·|∂D/∂output|², the quantity q is built from (the data-space weight alone has a
        // 10⁸-fold tail at low noise that no 200,000-point grid integrates reliably).
        var wU = ObjectiveConditioning.OutputWeights(schedule, prediction, new SbiSharp.Denoising.NoiseParameterization(), weighting, v);
        var wQ = ObjectiveConditioning.OutputWeights(schedule, prediction, new SbiSharp.Denoising.NoiseParameterization(), weighting, u) / q;
        foreach (var f in new Func<Tensor, Tensor>[] { t => t.Square(), t => t.Lt(0.5).to(ScalarType.Float64), t => (t.Mul(6)).sin().Add(1.5) })
        {
            var plain = (wU * f(v)).mean().item<double>();
            var weighted = (wQ * f(u)).mean().item<double>();
            Assert.Equal(1.0, weighted / plain, 2);
        }
        // And the row weights are even: the Kish fraction of the actual per-row weights W/q is high where uniform draws give 0.006.
        double Kish(Tensor weights) => (weights.mean().Square() / weights.Square().mean()).item<double>();
        Assert.InRange(Kish(wU), 0, 0.01);
        Assert.InRange(Kish(wQ), 0.85, 1);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_ObjectiveWithoutFinitePositiveWeight_ThrowsNamingIt(double value)
    {
        var e = Assert.Throws<ArgumentException>(() => new NoiseLevelProposal(new EdmSchedule(), new SbiSharp.Denoising.EdmParameterization(), new SbiSharp.Denoising.NoiseParameterization(), new ConstantWeighting(value)));
        Assert.Equal("weighting", e.ParamName);
        Assert.Contains("F/noise/constant", e.Message);
        Assert.Contains("no finite positive weight", e.Message);
    }

    private sealed class ConstantWeighting(double value) : LossWeighting
    {
        public override string Name => "constant";

        public override Tensor Weight(INoiseSchedule schedule, Tensor logSnr, Tensor uniform) => ScalarMath.FullLike(logSnr, value);
    }
}
