using SbiSharp.Noise;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Noise;

/// <summary>One contract for every noise schedule: positive scales, strictly decreasing finite log-SNR with the stated end points, derivatives and SDE coefficients consistent with the path.</summary>
public class ScheduleContractTests
{
    public static TheoryData<string, double, double> Schedules => new()
    {
        { "edm-vp", -2 * Math.Log(80), -2 * Math.Log(1e-4) },
        { "edm-ve", -2 * Math.Log(80), -2 * Math.Log(1e-4) },
        { "cosine", -15, 15 },
        { "cosine-shift", -15, 15 },
        { "linear-vp", -Math.Log(Math.Exp(0.1 + 0.5 * 19.9) - 1), -Math.Log(Math.Exp(1e-5 * 0.1 + 0.5 * 1e-10 * 19.9) - 1) },
        { "ve-geometric", -2 * Math.Log(50), -2 * Math.Log(0.01) },
        { "rectified", 2 * Math.Log(1e-4 / (1 - 1e-4)), 2 * Math.Log((1 - 1e-4) / 1e-4) },
        { "rectified-power", 2 * Math.Log(1e-4 / (1 - 1e-4)), 2 * Math.Log((1 - 1e-4) / 1e-4) },
    };

    private static INoiseSchedule Create(string name) => name switch
    {
        "edm-vp" => new EdmSchedule(),
        "edm-ve" => new EdmSchedule(EdmScheduleOptions.Default with { Form = VarianceForm.Exploding }),
        "cosine" => new CosineSchedule(),
        "cosine-shift" => new CosineSchedule(shift: Math.Log(0.5)),
        "linear-vp" => new LinearVPSchedule(),
        "ve-geometric" => new GeometricVESchedule(),
        "rectified" => new RectifiedFlowSchedule(),
        "rectified-power" => new RectifiedFlowSchedule(timePower: -0.6),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Schedule_SatisfiesTheContract(string name, double logSnrAtOne, double logSnrAtZero)
    {
        var s = Create(name);
        Assert.Equal(logSnrAtZero, s.LogSnr(0), 6);
        Assert.Equal(logSnrAtOne, s.LogSnr(1), 6);
        Assert.Equal(s.LogSnr(0), s.LogSnrMax, 9);
        Assert.Equal(s.LogSnr(1), s.LogSnrMin, 9);
        double previous = double.PositiveInfinity;
        const double h = 1e-8;
        for (int i = 0; i <= 200; i++)
        {
            var t = i / 200.0;
            var lambda = s.LogSnr(t);
            Assert.True(double.IsFinite(lambda) && lambda < previous, $"{name}: λ({t}) = {lambda} after {previous}");
            previous = lambda;
            var (alpha, sigma) = s.Scales(lambda);
            Assert.True(alpha > 0 && sigma > 0, $"{name}: scales ({alpha}, {sigma}) at t = {t}");
            Assert.Equal(lambda, Math.Log(alpha * alpha / (sigma * sigma)), 6);
            var derivative = s.LogSnrDerivative(t);
            var numeric = Derivative(s.LogSnr, t, h);
            Assert.True(Math.Abs(numeric - derivative) <= 1e-4 * Math.Max(1, Math.Abs(derivative)), $"{name}: λ′({t}) = {derivative}, numeric {numeric}");
            // Forward SDE dθ = f θ dt + g dW: f = d log α/dt and g² = dσ²/dt − 2fσ² must match the interface's formulas.
            var f = s.LogAlphaDerivative(lambda) * derivative;
            var g2 = -derivative * sigma * sigma;
            var fNumeric = Derivative(v => Math.Log(s.Scales(s.LogSnr(v)).Alpha), t, h);
            var varianceRate = Derivative(v => Math.Pow(s.Scales(s.LogSnr(v)).Sigma, 2), t, h);
            Assert.True(Math.Abs(fNumeric - f) <= 1e-4 * Math.Max(1, Math.Abs(f)), $"{name}: f({t}) = {f}, numeric {fNumeric}");
            Assert.True(Math.Abs(varianceRate - (2 * f * sigma * sigma + g2)) <= 1e-4 * Math.Max(1, Math.Abs(varianceRate)), $"{name}: dσ²/dt at {t}");
        }
    }

    /// <summary>Central difference inside (0, 1); second-order one-sided differences at the ends, where λ is steepest.</summary>
    private static double Derivative(Func<double, double> f, double t, double h) =>
        t - h < 0 ? (-3 * f(t) + 4 * f(t + h) - f(t + 2 * h)) / (2 * h)
        : t + h > 1 ? (3 * f(t) - 4 * f(t - h) + f(t - 2 * h)) / (2 * h)
        : (f(t + h) - f(t - h)) / (2 * h);

    [Theory]
    [MemberData(nameof(Schedules))]
    public void TrainingLogSnr_IsFiniteAndInRange(string name, double logSnrAtOne, double logSnrAtZero)
    {
        var s = Create(name);
        using var u = rand(new long[] { 10_000 }, generator: new Generator(3));
        using var lambda = s.TrainingLogSnr(u);
        Assert.Equal(u.shape, lambda.shape);
        Assert.True(lambda.isfinite().all().item<bool>());
        Assert.InRange(lambda.min().item<float>(), logSnrAtOne - 1.001, logSnrAtZero + 1.001);
        Assert.InRange(lambda.max().item<float>(), logSnrAtOne - 1.001, logSnrAtZero + 1.001);
    }

    [Fact]
    public void UniformTimeSchedules_TrainOnTheirSamplingPath()
    {
        using var u = tensor(new[] { 0.1, 0.5, 0.9 });
        foreach (var s in new LogSnrSchedule[] { new CosineSchedule(), new LinearVPSchedule(), new GeometricVESchedule(), new RectifiedFlowSchedule() })
        {
            using var lambda = s.TrainingLogSnr(u);
            for (int i = 0; i < 3; i++) Assert.Equal(s.LogSnr(u[i].item<double>()), lambda[i].item<double>(), 6);
        }
        // a = −0.6 favours noisy times: the median training time is 0.5^{1/0.4} ≈ 0.177, not 0.5.
        var power = new RectifiedFlowSchedule(timePower: -0.6);
        using var half = tensor(new[] { 0.5 });
        Assert.Equal(power.LogSnr(Math.Pow(0.5, 1 / 0.4)), power.TrainingLogSnr(half)[0].item<double>(), 6);
    }

    [Fact]
    public void EveryScheduleInTheLibrary_IsInTheContract()
    {
        var types = typeof(INoiseSchedule).Assembly.GetTypes().Where(t => typeof(INoiseSchedule).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface);
        var covered = Schedules.Select(row => Create((string)row[0]).GetType()).ToHashSet();
        Assert.All(types, t => Assert.Contains(t, covered));
    }

    [Fact]
    public void BadArguments_NameTheParameter()
    {
        Assert.Equal("betaMax", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearVPSchedule(betaMin: 1, betaMax: 0.5)).ParamName);
        Assert.Equal("sigmaMin", Assert.Throws<ArgumentOutOfRangeException>(() => new GeometricVESchedule(sigmaMin: 0)).ParamName);
        Assert.Equal("timePower", Assert.Throws<ArgumentOutOfRangeException>(() => new RectifiedFlowSchedule(timePower: -1)).ParamName);
        Assert.Equal("logSnrMin", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(logSnrMin: 5, logSnrMax: 1)).ParamName);
        Assert.Equal("t", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule().LogSnr(1.5)).ParamName);
    }
}
