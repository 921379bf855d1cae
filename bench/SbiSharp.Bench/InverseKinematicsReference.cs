using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.IO;
using SbiSharp.Tasks;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Bench;

/// <summary>
/// A rejection reference for the demo's posterior p(θ | x = (0, 1.5)): prior draws whose end point lies within a tolerance
/// of the observation (the simulator is deterministic, x has two dimensions), compared with a samples CSV.
/// </summary>
internal static class InverseKinematicsReference
{
    public static int Run(string outDir, string samplesPath, long draws, double tolerance, string? modelPath)
    {
        Directory.CreateDirectory(outDir);
        var task = InverseKinematicsTask.Create();
        using var generator = new Generator(2026);
        using var reference = InverseKinematicsTask.RejectionReference(InverseKinematicsTask.TutorialObservation, draws, tolerance, generator);
        using var samples = CsvTable.Read(samplesPath).ToTensor();
        var rows = new List<object>();
        var md = new StringBuilder();
        md.AppendLine($"Rejection reference: {draws:N0} prior draws, tolerance {tolerance}, {reference.shape[0]} accepted; model samples: {samplesPath} ({samples.shape[0]} rows).");
        md.AppendLine();
        md.AppendLine("| parameter | reference mean | model mean | reference sd (± se) | model sd |");
        md.AppendLine("|---|---|---|---|---|");
        for (int d = 0; d < 4; d++)
        {
            double rm = reference[.., d].mean().item<float>(), rs = reference[.., d].std().item<float>();
            double mm = samples[.., d].mean().item<float>(), ms = samples[.., d].std().item<float>();
            var se = rs / Math.Sqrt(2.0 * (reference.shape[0] - 1));
            rows.Add(new { parameter = task.ParameterNames[d], reference_mean = rm, model_mean = mm, reference_sd = rs, reference_sd_se = se, model_sd = ms });
            md.AppendLine(FormattableString.Invariant($"| {task.ParameterNames[d]} | {rm:F3} | {mm:F3} | {rs:F3} (± {se:F3}) | {ms:F3} |"));
        }
        double refUp = (reference[.., 1].Gt(0)).to(ScalarType.Float32).mean().item<float>();
        double modelUp = (samples[.., 1].Gt(0)).to(ScalarType.Float32).mean().item<float>();
        md.AppendLine(FormattableString.Invariant($"| elbow up (α₁ > 0) | {refUp:P1} | {modelUp:P1} | | |"));
        var samplerRows = new List<object>();
        if (modelPath is not null)
        {
            using var estimator = SbiSharp.Estimators.DiffusionPosteriorEstimator.Load(modelPath);
            md.AppendLine();
            md.AppendLine($"The same model ({modelPath}), 4,000 draws per sampler: posterior sd of (h, α₁, α₂, α₃).");
            md.AppendLine();
            md.AppendLine("| sampler | network evaluations | sd h | sd α₁ | sd α₂ | sd α₃ |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var sampler in new SbiSharp.Sampling.DiffusionSampler[] { new SbiSharp.Sampling.HeunSampler(30), new SbiSharp.Sampling.HeunSampler(100), new SbiSharp.Sampling.EulerMaruyamaSampler(500) })
            {
                using var drawn = estimator.Draw(tensor(new[] { 0.0, 1.5 }, new long[] { 1, 2 }, ScalarType.Float32), 4000, new SbiSharp.Estimators.SamplingOptions { Sampler = sampler, Seed = 3 });
                var draws4k = drawn.Samples[0];
                using var sd = draws4k.std(0);
                var v = sd.data<float>().ToArray();
                samplerRows.Add(new { sampler = sampler.Name, sd = v });
                md.AppendLine(FormattableString.Invariant($"| {sampler.Name} | {drawn.NetworkEvaluations:0.#} | {v[0]:F3} | {v[1]:F3} | {v[2]:F3} | {v[3]:F3} |"));
            }
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "ik_reference.json"), JsonSerializer.Serialize(new
        {
            date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            draws,
            tolerance,
            accepted = reference.shape[0],
            samples = samplesPath,
            parameters = rows,
            reference_elbow_up = refUp,
            model_elbow_up = modelUp,
            samplers = samplerRows,
        }, new JsonSerializerOptions { WriteIndented = true }));
        AtomicFile.WriteAllText(Path.Combine(outDir, "ik_reference.md"), md.ToString());
        Console.WriteLine(md);
        return 0;
    }
}
