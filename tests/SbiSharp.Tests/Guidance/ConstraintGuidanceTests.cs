using System.Diagnostics;
using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Guidance;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using SbiSharp.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Guidance;

/// <summary>Constraint guidance: the tutorial's elbow-up/elbow-down selection on a trained inverse-kinematics model, and exact properties on an oracle.</summary>
public class ConstraintGuidanceTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void InverseKinematics_ElbowGuidance_SelectsOneModeAndStillReachesTheTarget()
    {
        var task = InverseKinematicsTask.Create();
        using var estimator = new DiffusionPosteriorEstimator(4, 2, DiffusionEstimatorOptions.Default with
        {
            Network = NetworkOptions.Default with { Width = 128, Blocks = 3, Dropout = 0 }, InitializationSeed = 2,
        });
        var clock = Stopwatch.StartNew();
        estimator.Train(new OnlineDataset(task.Joint()), TrainingOptions.Default with
        {
            Epochs = 20, BatchesPerEpoch = 150, BatchSize = 256, LearningRate = 2e-3, EarlyStoppingPatience = 0, Seed = 3,
        });
        output.WriteLine($"training {clock.Elapsed.TotalSeconds:F1} s");
        var observed = InverseKinematicsTask.TutorialObservation.ToArray();
        var sampling = new SamplingOptions { Sampler = new HeunSampler(30), Seed = 4 };
        (double Up, double Reach) Summarize(Tensor samples)
        {
            // Reach: the fraction of draws whose arm ends within 0.1 of the observed point.
            using var scope = NewDisposeScope();
            var up = (samples[.., 1].sin().Gt(0)).to(ScalarType.Float32).mean().item<float>();
            var reach = InverseKinematicsTask.EndPointDistance(samples, observed).Lt(0.1).to(ScalarType.Float32).mean().item<float>();
            return (up, reach);
        }
        using var plain = estimator.Sample(observed, 2000, sampling);
        var (plainUp, plainReach) = Summarize(plain);
        output.WriteLine($"unguided: elbow up {plainUp:P1}, end point within 0.1: {plainReach:P1}");
        Assert.InRange(plainUp, 0.2, 0.8);
        // Guidance moves draws between modes; a stochastic sampler lets the other parameters re-equilibrate, and sharpness
        // k = 100 (the constraint −sin α₁ lies in [−1, 1]) makes it act early enough: with k = 1, 35 % of the moved draws missed the target.
        var guidedSampling = sampling with { Sampler = new LangevinCorrectorSampler(50) };
        foreach (var (name, constraint, wantUp) in new[] { ("elbow-up", InverseKinematicsTask.ElbowUp, true), ("elbow-down", InverseKinematicsTask.ElbowDown, false) })
        {
            clock.Restart();
            using var guided = estimator.Sample(observed, 2000, guidedSampling, guidance: new[] { new ConstraintGuidance(constraint) { Sharpness = 100 } });
            var (up, reach) = Summarize(guided);
            var satisfied = wantUp ? up : 1 - up;
            output.WriteLine($"{name}: satisfied {satisfied:P1}, end point within 0.1: {reach:P1} (unguided {plainReach:P1}), {clock.Elapsed.TotalSeconds:F1} s");
            Assert.True(satisfied >= 0.95, $"{name}: only {satisfied:P1} of guided draws satisfy the constraint");
            Assert.True(reach >= plainReach - 0.08, $"{name}: {reach:P1} of guided draws end within 0.1 of the target, unguided {plainReach:P1}");
        }
    }

    [Fact]
    public void ZeroStrength_ReturnsTheInnerDenoiser()
    {
        var denoiser = new GaussianPosteriorDenoiser(new EdmSchedule(), 2, 0, 0.1, 0.1);
        var guided = new ConstraintGuidance(theta => theta[.., 0]) { Strength = 0 }.Apply(denoiser, new GuidanceContext(Standardizer.Identity(2)));
        using var thetaT = randn(16, 2);
        using var logSnr = ScalarMath.Full(16, 1, 0.5f);
        using var x = ones(16, 2);
        using var a = denoiser.Denoise(thetaT, logSnr, x);
        using var b = guided.Denoise(thetaT, logSnr, x);
        Assert.True(a.allclose(b, 1e-6, 1e-6));
    }

    [Fact]
    public void HalfSpaceConstraint_OnGaussianPosterior_PushesMassIntoTheFeasibleSide()
    {
        // Posterior N(x/2, 0.05 I) with x/2 = 0: the constraint θ₁ ≥ 0.1 (c = 0.1 − θ₁) holds for 33 % of unguided draws.
        var denoiser = new GaussianPosteriorDenoiser(new EdmSchedule(), 2, 0, 0.1, 0.1);
        var guided = new ConstraintGuidance(theta => theta[.., 0].RSub(0.1)).Apply(denoiser, new GuidanceContext(Standardizer.Identity(2)));
        using var generator = new Generator(2);
        using var x = zeros(4000, 2);
        using var samples = new HeunSampler(30).Sample(guided, x, generator);
        var feasible = (samples[.., 0].Ge(0.1)).to(ScalarType.Float32).mean().item<float>();
        var other = samples[.., 1].std().item<float>();
        output.WriteLine($"feasible {feasible:P1}, sd of the unconstrained dimension {other:F3}");
        Assert.True(feasible > 0.9, $"only {feasible:P1} feasible");
        Assert.InRange(other, Math.Sqrt(0.05) * 0.95, Math.Sqrt(0.05) * 1.05);
    }

    [Fact]
    public void Constraint_WrongShape_ThrowsNamingIt()
    {
        var denoiser = new GaussianPosteriorDenoiser(new EdmSchedule(), 2, 0, 0.1, 0.1);
        var guided = new ConstraintGuidance(theta => theta).Apply(denoiser, new GuidanceContext(Standardizer.Identity(2)));
        using var thetaT = randn(8, 2);
        using var logSnr = ScalarMath.Full(8, 1, 0.5f);
        using var x = ones(8, 2);
        var e = Assert.Throws<ArgumentException>(() => guided.Denoise(thetaT, logSnr, x));
        Assert.Contains("Constraint 0 must return shape (8) or (8, 1)", e.Message);
    }
}
