using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Estimators;
using SbiSharp.Guidance;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using static TorchSharp.torch;
using SbiSharp.Torch;
using SbiSharp.IO;

namespace SbiSharp.Bench;

/// <summary>
/// Elbow-up constraint guidance on a trained inverse-kinematics model (the demo's model.sbis) at x = (0, 1.5): for each sampler and
/// guidance setting, the fraction of 1,000 draws satisfying sin α₁ &gt; 0 and the fraction whose arm ends within 0.1 of the target.
/// Writes guidance-arm.json and guidance-arm.md.
/// </summary>
internal static class GuidanceArmBench
{
    public static int Run(string modelPath, string outDir)
    {
        Directory.CreateDirectory(outDir);
        using var estimator = DiffusionPosteriorEstimator.Load(modelPath);
        var observed = InverseKinematicsTask.TutorialObservation.ToArray();
        (double Satisfied, double Within) Measure(Tensor samples)
        {
            using var scope = NewDisposeScope();
            var up = (samples[.., 1].sin().Gt(0)).to(ScalarType.Float32).mean().item<float>();
            var within = InverseKinematicsTask.EndPointDistance(samples, observed).Lt(0.1).to(ScalarType.Float32).mean().item<float>();
            return (up, within);
        }
        var settings = new (string Name, double Strength, double Sharpness, Func<Tensor, Tensor, Tensor>? Scaling)[]
        {
            ("k = 1, λ = 1", 1, 1, null), ("k = 1, λ = 5", 5, 1, null), ("k = 100, λ = 1", 1, 100, null), ("s = 10 (constant), λ = 1", 1, 1, (a, _) => ones_like(a).Mul(10)),
        };
        var samplers = new DiffusionSampler[] { new LangevinCorrectorSampler(50), new EulerMaruyamaSampler(500), new HeunSampler(30) };
        var rows = new List<Dictionary<string, object>>();
        foreach (var sampler in samplers)
        {
            var options = new SamplingOptions { Sampler = sampler, Seed = 1 };
            using (var plain = estimator.Sample(observed, 1000, options))
            {
                var (up, within) = Measure(plain);
                rows.Add(new() { ["sampler"] = sampler.Name, ["setting"] = "unguided", ["satisfied"] = up, ["within_0_1"] = within });
            }
            foreach (var (name, strength, sharpness, scaling) in settings)
            {
                using var guided = estimator.Sample(observed, 1000, options, guidance: new[] { new ConstraintGuidance(InverseKinematicsTask.ElbowUp) { Strength = strength, Sharpness = sharpness, TimeScaling = scaling } });
                var (up, within) = Measure(guided);
                rows.Add(new() { ["sampler"] = sampler.Name, ["setting"] = name, ["satisfied"] = up, ["within_0_1"] = within });
                Console.WriteLine($"{sampler.Name}, {name}: {up:P1} satisfied, {within:P1} within 0.1");
            }
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "guidance-arm.json"), JsonSerializer.Serialize(new { model = modelPath, rows }, new JsonSerializerOptions { WriteIndented = true }));
        var columns = new[] { "unguided" }.Concat(settings.Select(s => s.Name)).ToArray();
        var md = new StringBuilder();
        md.AppendLine("| sampler | " + string.Join(" | ", columns) + " |");
        md.AppendLine("|---|" + string.Concat(columns.Select(_ => "---|")));
        foreach (var sampler in samplers)
            md.AppendLine($"| {sampler.Name} | " + string.Join(" | ", columns.Select(c => rows.First(r => (string)r["sampler"] == sampler.Name && (string)r["setting"] == c) is var r
                ? string.Format(CultureInfo.InvariantCulture, "{0:P0} / {1:P0}", r["satisfied"], r["within_0_1"]) : "—")) + " |");
        AtomicFile.WriteAllText(Path.Combine(outDir, "guidance-arm.md"), md.ToString());
        Console.WriteLine(md);
        return 0;
    }
}
