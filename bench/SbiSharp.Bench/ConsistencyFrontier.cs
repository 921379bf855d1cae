using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Diagnostics;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using static TorchSharp.torch;

namespace SbiSharp.Bench;

/// <summary>
/// The speed target of consistency models: on each task, the diffusion teacher (DIR/task/model.sbis of a `sbisharp bench` run) under 500-step Euler–Maruyama (the
/// accuracy baseline), Heun-30 (the time baseline) and DPM-Solver++ at 10 and 40 steps, and every consistency model given (LABEL=DIR, same layout) at 1–6 jumps on the log-SNR grid and on the schedule's t-grid:
/// C2ST against the sbibm reference, seconds per 10,000 draws and the ratios to the baselines, all measured in this run. Writes consistency.json, consistency.md
/// and frontier.png (C2ST against seconds, one panel per task).
/// </summary>
internal static class ConsistencyFrontier
{
    private static readonly int[] Jumps = { 1, 2, 3, 4, 6 };

    public static int Run(string outDir, string teachersDir, string[] tasks, int[] observations, IReadOnlyList<(string Label, string Dir)> candidates, int draws)
    {
        Directory.CreateDirectory(outDir);
        var rows = new List<Dictionary<string, object>>();
        var notes = new List<string>();
        foreach (var taskName in tasks)
        {
            var teacherPath = Path.Combine(teachersDir, taskName, "model.sbis");
            using var teacher = DiffusionPosteriorEstimator.Load(teacherPath);
            var data = new SbibmData(taskName, teacher.ParameterDimension, teacher.ObservationDimension);
            var models = new List<(string Label, DiffusionPosteriorEstimator Model)>();
            try
            {
                foreach (var (label, dir) in candidates)
                {
                    var path = Path.Combine(dir, taskName, "model.sbis");
                    if (File.Exists(path)) models.Add((label, DiffusionPosteriorEstimator.Load(path)));
                    else notes.Add($"{label}: no model for {taskName} ({path})");
                }
                foreach (var k in observations)
                {
                    using var reference = data.ReferenceSamples(k);
                    using var x = tensor(data.Observation(k), dtype: ScalarType.Float32).unsqueeze(0);
                    double? em500 = null, heun30 = null;
                    void Measure(string label, DiffusionPosteriorEstimator model, DiffusionSampler sampler)
                    {
                        var (samples, nfe, seconds) = SamplerFrontier.Draw(model, sampler, x, draws, seed: 1000 + k);
                        double c2st;
                        using (samples)
                        {
                            using var kept = samples.index_select(0, samples.isfinite().all(1).nonzero().squeeze(1));
                            c2st = kept.shape[0] < 100 ? 1.0 : C2st.Score(reference, kept).Accuracy;
                        }
                        em500 ??= c2st;
                        if (sampler is HeunSampler { Steps: 30 }) heun30 = seconds;
                        rows.Add(new Dictionary<string, object>
                        {
                            ["task"] = taskName, ["observation"] = k, ["model"] = label, ["sampler"] = sampler.Name, ["network_evaluations"] = nfe,
                            ["seconds_per_10k"] = seconds * 10_000 / draws, ["c2st"] = c2st, ["c2st_minus_em500"] = c2st - em500.Value,
                            ["seconds"] = seconds,
                        });
                        Console.WriteLine(FormattableString.Invariant($"{taskName} obs {k} {label,-10} {sampler.Name,-22} NFE {nfe,4} {seconds * 10_000 / draws,6:F2} s/10k  C2ST {c2st:F4} (Δ EM-500 {c2st - em500.Value:+0.000;-0.000})"));
                    }
                    foreach (var sampler in new DiffusionSampler[] { new EulerMaruyamaSampler(500), new HeunSampler(30), new DpmSolverPlusPlusSampler(40), new DpmSolverPlusPlusSampler(10) })
                        Measure("diffusion", teacher, sampler);
                    foreach (var (label, model) in models)
                        foreach (var n in Jumps)
                        {
                            Measure(label, model, new ConsistencySampler(n));
                            // The same jumps on the schedule's own grid (uniform in t: the Karras ρ-grid for EDM) instead of uniform log-SNR.
                            if (n > 1) Measure(label + " t-grid", model, new ConsistencySampler(Enumerable.Range(0, n + 1).Select(j => 1.0 - (double)j / n).ToArray()));
                        }
                    foreach (var r in rows.Where(r => (string)r["task"] == taskName && (int)r["observation"] == k))
                        r["time_ratio_to_heun30"] = (double)r["seconds"] / heun30!.Value;
                }
            }
            finally
            {
                foreach (var (_, model) in models) model.Dispose();
            }
        }
        var summary = new
        {
            date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            machine = $"{Environment.ProcessorCount} cores, torch threads {get_num_threads()}",
            teachers = teachersDir, candidates = candidates.Select(c => new { label = c.Label, dir = c.Dir }), draws, notes, rows,
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, "consistency.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        AtomicFile.WriteAllText(Path.Combine(outDir, "consistency.md"), Markdown(rows, draws, notes));
        Plotting.FrontierPlot.Save(Path.Combine(outDir, "frontier.png"), tasks.Select(t =>
            (t, (IReadOnlyList<(string, IReadOnlyList<(double, double)>)>)rows.Where(r => (string)r["task"] == t && (int)r["observation"] == observations[0])
                .GroupBy(r => (string)r["model"] == "diffusion" ? "diffusion (EM-500, Heun-30, DPM++-40, DPM++-10)" : (string)r["model"])
                .Select(g => (g.Key, (IReadOnlyList<(double, double)>)g.Select(r => ((double)r["seconds_per_10k"], (double)r["c2st"])).OrderBy(p => p.Item1).ToArray()))
                .ToArray())).ToArray());
        return 0;
    }

    private static string Markdown(List<Dictionary<string, object>> rows, int draws, List<string> notes)
    {
        var md = new StringBuilder();
        md.AppendLine(FormattableString.Invariant($"Consistency models against their diffusion baseline: C2ST against the sbibm reference ({draws:N0} draws), network evaluations (NFE), seconds per 10,000 draws; Δ is C2ST minus the diffusion model's 500-step Euler–Maruyama on the same task and observation in the same run, × Heun-30 the time relative to the diffusion model's Heun-30."));
        md.AppendLine();
        md.AppendLine("| task | obs | model | sampler | NFE | s / 10k | × Heun-30 | C2ST | Δ EM-500 |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var ratio = Convert.ToDouble(r["time_ratio_to_heun30"], CultureInfo.InvariantCulture);
            md.AppendLine(FormattableString.Invariant(
                $"| {r["task"]} | {r["observation"]} | {r["model"]} | {r["sampler"]} | {r["network_evaluations"]} | {Convert.ToDouble(r["seconds_per_10k"]):F2} | {ratio:F3} | {Convert.ToDouble(r["c2st"]):F3} | {Math.Round(Convert.ToDouble(r["c2st_minus_em500"]), 3) + 0.0:+0.000;-0.000;+0.000} |"));
        }
        foreach (var n in notes) md.AppendLine().Append("Note: ").AppendLine(n);
        return md.ToString();
    }
}
