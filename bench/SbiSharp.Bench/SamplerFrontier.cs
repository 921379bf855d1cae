using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Diagnostics;
using SbiSharp.Estimators;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using static TorchSharp.torch;
using SbiSharp.IO;

namespace SbiSharp.Bench;

/// <summary>
/// The sampler frontier: for trained models (one per task, as `sbisharp bench` leaves them in DIR/task/model.sbis), C2ST against
/// the sbibm reference versus network evaluations and seconds per 10,000 draws, for every sampler and step count, next to
/// 500-step Euler–Maruyama measured in the same run. Writes frontier.json and frontier.md.
/// </summary>
internal static class SamplerFrontier
{
    private static IEnumerable<(string Name, DiffusionSampler Sampler)> Samplers()
    {
        foreach (var sampler in Plain()) yield return (sampler.Name, sampler);
        // DPM-Solver++(2M) on the schedule's own grid (uniform in t: the Karras ρ = 7 grid for EDM) instead of uniform log-SNR.
        foreach (var n in new[] { 5, 8, 10, 15, 20 })
            yield return ($"dpm-solver++-t-grid-{n}", new DpmSolverPlusPlusSampler(Enumerable.Range(0, n + 1).Select(k => 1.0 - (double)k / n).ToArray()));
    }

    private static IEnumerable<DiffusionSampler> Plain()
    {
        yield return new EulerMaruyamaSampler(500);
        yield return new EulerMaruyamaSampler(100);
        yield return new LangevinCorrectorSampler(100);
        yield return new AdaptiveSdeSampler();
        foreach (var n in new[] { 10, 30, 100 }) yield return new EulerSampler(n);
        foreach (var n in new[] { 5, 10, 15, 30 }) yield return new HeunSampler(n);
        foreach (var n in new[] { 5, 8, 10, 15, 20, 40 }) yield return new DpmSolverPlusPlusSampler(n);
        foreach (var n in new[] { 3, 5 }) yield return new DormandPrinceSampler(n);
        foreach (var n in new[] { 3, 5 }) yield return new Tsit5Sampler(n);
        yield return AdaptiveRungeKuttaSampler.DormandPrince(AdaptiveStepOptions.Default);
        yield return AdaptiveRungeKuttaSampler.DormandPrince(AdaptiveStepOptions.Default with { RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-3 });
        yield return AdaptiveRungeKuttaSampler.Tsitouras(AdaptiveStepOptions.Default with { RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-3 });
    }

    public static int Run(string modelsDir, string outDir, string[] tasks, int[] observations, int draws)
    {
        Directory.CreateDirectory(outDir);
        var rows = new List<Dictionary<string, object>>();
        // FRONTIER_SAMPLERS=name,name,... restricts the run to those samplers (EM-500, the baseline, always runs); FRONTIER_APPEND=1
        // keeps the rows already in OUT_DIR/frontier.json.
        if (Environment.GetEnvironmentVariable("FRONTIER_APPEND") == "1" && File.Exists(Path.Combine(outDir, "frontier.json")))
            rows.AddRange(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "frontier.json")))!["rows"]!.AsArray()
                .Select(r => r!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValueKind() switch
                {
                    JsonValueKind.String => (object)p.Value!.GetValue<string>(),
                    JsonValueKind.True or JsonValueKind.False => p.Value!.GetValue<bool>(),
                    _ => p.Key is "observation" or "network_evaluations" ? p.Value!.GetValue<int>() : (object)p.Value!.GetValue<double>(),
                })));
        foreach (var taskName in tasks)
        {
            var modelPath = Path.Combine(modelsDir, taskName, "model.sbis");
            using var estimator = DiffusionPosteriorEstimator.Load(modelPath);
            var data = new SbibmData(taskName, estimator.ParameterDimension, estimator.ObservationDimension);
            foreach (var k in observations)
            {
                using var reference = data.ReferenceSamples(k);
                using var x = tensor(data.Observation(k), dtype: ScalarType.Float32).unsqueeze(0);
                double? baseline = null, baselineSeconds = null;
                var only = Environment.GetEnvironmentVariable("FRONTIER_SAMPLERS")?.Split(',');
                foreach (var (samplerName, sampler) in Samplers().Where(s => only is null || s.Sampler is EulerMaruyamaSampler { Steps: 500 } || only.Contains(s.Name)))
                {
                    var (samples, nfe, seconds) = Draw(estimator, sampler, x, draws, seed: 1000 + k);
                    double c2st;
                    using (samples)
                    {
                        var finite = samples.isfinite().all(1);
                        using var kept = samples.index_select(0, finite.nonzero().squeeze(1));
                        c2st = kept.shape[0] < 100 ? 1.0 : C2st.Score(reference, kept).Accuracy;
                    }
                    baseline ??= c2st;
                    baselineSeconds ??= seconds;
                    var row = new Dictionary<string, object>
                    {
                        ["task"] = taskName, ["observation"] = k, ["sampler"] = samplerName, ["network_evaluations"] = nfe,
                        ["seconds_per_10k"] = seconds * 10_000 / draws, ["c2st"] = c2st, ["c2st_minus_em500"] = c2st - baseline.Value,
                        ["time_ratio_to_em500"] = seconds / baselineSeconds.Value,
                    };
                    rows.Add(row);
                    Console.WriteLine(FormattableString.Invariant($"{taskName} obs {k} {samplerName,-28} NFE {nfe,4} {seconds * 10_000 / draws,6:F2} s/10k  C2ST {c2st:F4} (Δ {c2st - baseline.Value:+0.0000;-0.0000})"));
                    AtomicFile.WriteAllText(Path.Combine(outDir, "frontier.json"), JsonSerializer.Serialize(new
                    {
                        date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        machine = $"{Environment.ProcessorCount} cores, torch threads {get_num_threads()}",
                        models = modelsDir, draws, rows,
                    }, new JsonSerializerOptions { WriteIndented = true }));
                }
            }
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "frontier.md"), Markdown(rows, draws));
        return 0;
    }

    internal static (Tensor Samples, int Nfe, double Seconds) Draw(DiffusionPosteriorEstimator estimator, DiffusionSampler sampler, Tensor x, int draws, long seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        var clock = Stopwatch.StartNew();
        var condition = estimator.XStandardizer.Forward(x).expand(draws, -1).contiguous();
        var run = sampler.Run(estimator.Denoiser, condition, generator);
        var samples = estimator.Space.ToOriginal(run.Theta);
        var seconds = clock.Elapsed.TotalSeconds;
        run.Theta.Dispose();
        return (samples.MoveToOuterDisposeScope(), run.NetworkEvaluations, seconds);
    }

    private static string Markdown(List<Dictionary<string, object>> rows, int draws)
    {
        var md = new StringBuilder();
        md.AppendLine(FormattableString.Invariant($"Sampler frontier: C2ST against the sbibm reference ({draws:N0} draws), network evaluations (NFE) and seconds per 10,000 draws; Δ is C2ST minus 500-step Euler–Maruyama's on the same task in the same run."));
        md.AppendLine();
        var tasks = rows.Select(r => (string)r["task"]).Distinct().ToArray();
        var samplers = rows.Select(r => (string)r["sampler"]).Distinct().ToArray();
        md.AppendLine("| sampler | NFE | " + string.Join(" | ", tasks.Select(t => $"{t}: C2ST (Δ) | s / 10k")) + " |");
        md.AppendLine("|---|---|" + string.Concat(tasks.Select(_ => "---|---|")));
        foreach (var name in samplers)
        {
            var cells = new List<string>();
            var nfe = new List<string>();
            foreach (var t in tasks)
            {
                var r = rows.FirstOrDefault(r => (string)r["task"] == t && (string)r["sampler"] == name);
                if (r is null) { cells.Add("– | –"); continue; }
                nfe.Add(Convert.ToString(r["network_evaluations"], CultureInfo.InvariantCulture)!);
                // Rounded first (and −0 made +0) so a difference of −0.0000x prints as +0.000, not "-+0.000".
                var delta = Math.Round(Convert.ToDouble(r["c2st_minus_em500"]), 3) + 0.0;
                cells.Add(FormattableString.Invariant($"{Convert.ToDouble(r["c2st"]):F3} ({delta:+0.000;-0.000;+0.000}) | {Convert.ToDouble(r["seconds_per_10k"]):F2}"));
            }
            md.AppendLine($"| {name} | {string.Join("/", nfe.Distinct())} | {string.Join(" | ", cells)} |");
        }
        return md.ToString();
    }
}
