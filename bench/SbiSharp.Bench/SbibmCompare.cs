using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.IO;

namespace SbiSharp.Bench;

/// <summary>
/// `sbibm-compare OUT.md LABEL=DIR ...`: one table of mean C2ST per task for several sbibm bench runs (each DIR holds the
/// results.json that `sbisharp bench` wrote), with the mean over the tasks every run has, and the difference of each run to
/// the first. Writes OUT.md and OUT.json; the docs include the Markdown as a generated table.
/// </summary>
public static class SbibmCompare
{
    /// <summary>Runs the comparison.</summary>
    public static int Run(string output, IReadOnlyList<string> runs)
    {
        if (runs.Count == 0)
        {
            Console.Error.WriteLine("error: sbibm-compare needs at least one LABEL=DIR");
            return 2;
        }
        var parsed = new List<(string Label, Dictionary<string, (double Mean, double Sd, int N)> Tasks)>();
        foreach (var run in runs)
        {
            var split = run.IndexOf('=');
            if (split <= 0)
            {
                Console.Error.WriteLine($"error: expected LABEL=DIR; got '{run}'");
                return 2;
            }
            var (label, dir) = (run[..split], run[(split + 1)..]);
            var path = Path.Combine(dir, "results.json");
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"error: '{path}' does not exist (run `sbisharp bench --report --out {dir}` first)");
                return 2;
            }
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var tasks = new Dictionary<string, (double, double, int)>();
            foreach (var task in doc.RootElement.GetProperty("tasks").EnumerateObject())
            {
                var scores = task.Value.GetProperty("observations").EnumerateArray().Select(o => o.GetProperty("c2st").GetDouble()).ToArray();
                if (scores.Length == 0) continue;
                var mean = scores.Average();
                var sd = scores.Length > 1 ? Math.Sqrt(scores.Sum(v => (v - mean) * (v - mean)) / (scores.Length - 1)) : 0;
                tasks[task.Name] = (mean, sd, scores.Length);
            }
            parsed.Add((label, tasks));
        }
        var names = parsed.SelectMany(p => p.Tasks.Keys).Distinct().ToList();
        var common = names.Where(n => parsed.All(p => p.Tasks.ContainsKey(n))).ToList();
        var md = new StringBuilder();
        md.AppendLine("Mean C2ST over the observations (± sd, n), per run; Δ is the run minus the first run on the same task. 0.5 is perfect.");
        md.AppendLine();
        md.Append("| task |");
        foreach (var p in parsed) md.Append($" {p.Label} |");
        foreach (var p in parsed.Skip(1)) md.Append($" Δ {p.Label} |");
        md.AppendLine();
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", parsed.Count * 2 - 1)));
        string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
        foreach (var name in names)
        {
            md.Append($"| {name} |");
            foreach (var p in parsed)
                md.Append(p.Tasks.TryGetValue(name, out var v) ? $" {F(v.Mean)} ± {F(v.Sd)} (n = {v.N}) |" : " – |");
            foreach (var p in parsed.Skip(1))
                md.Append(p.Tasks.TryGetValue(name, out var v) && parsed[0].Tasks.TryGetValue(name, out var b) ? $" {(v.Mean - b.Mean >= 0 ? "+" : "")}{F(v.Mean - b.Mean)} |" : " – |");
            md.AppendLine();
        }
        if (common.Count > 0)
        {
            md.Append($"| mean over {common.Count} tasks |");
            foreach (var p in parsed) md.Append($" {F(common.Average(n => p.Tasks[n].Mean))} |");
            foreach (var p in parsed.Skip(1)) md.Append($" {common.Average(n => p.Tasks[n].Mean - parsed[0].Tasks[n].Mean).ToString("+0.000;-0.000;+0.000", CultureInfo.InvariantCulture)} |");
            md.AppendLine();
        }
        AtomicFile.WriteAllText(output, md.ToString());
        AtomicFile.WriteAllText(Path.ChangeExtension(output, ".json"), JsonSerializer.Serialize(
            parsed.ToDictionary(p => p.Label, p => p.Tasks.ToDictionary(t => t.Key, t => new { mean = t.Value.Mean, sd = t.Value.Sd, n = t.Value.N })),
            new JsonSerializerOptions { WriteIndented = true }));
        Console.Write(md);
        return 0;
    }
}
