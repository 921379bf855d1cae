using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SbiSharp.IO;

namespace SbiSharp.Bench;

/// <summary>
/// The design-space table: reads DIR/&lt;design&gt;/results.json written by `sbisharp bench --method &lt;design&gt; --out DIR/&lt;design&gt;`
/// and writes DIR/design.json and DIR/design.md: C2ST per task and mean over tasks for each design, and training time relative
/// to edm-vp on the same tasks (both measured by runs of the same script on the same machine).
/// </summary>
internal static class DesignReport
{
    public static int Run(string dir)
    {
        var designs = new List<(string Name, Dictionary<string, (double C2st, double Seconds)> Tasks)>();
        foreach (var folder in Directory.GetDirectories(dir).OrderBy(d => d, StringComparer.Ordinal))
        {
            var path = Path.Combine(folder, "results.json");
            if (!File.Exists(path)) continue;
            var root = JsonNode.Parse(File.ReadAllText(path))!;
            var tasks = new Dictionary<string, (double, double)>();
            foreach (var (task, node) in root["tasks"]!.AsObject())
            {
                var scores = node!["observations"]!.AsArray().Select(o => o!["c2st"]!.GetValue<double>()).ToArray();
                if (scores.Length == 0) continue;
                tasks[task] = (scores.Average(), node["training"]!["training_seconds"]!.GetValue<double>());
            }
            designs.Add((Path.GetFileName(folder), tasks));
        }
        if (designs.Count == 0)
        {
            Console.Error.WriteLine($"error: no DIR/<design>/results.json under '{dir}'");
            return 2;
        }
        var allTasks = designs.SelectMany(d => d.Tasks.Keys).Distinct().OrderBy(t => t, StringComparer.Ordinal).ToArray();
        var baseline = designs.FirstOrDefault(d => d.Name == "edm-vp");
        var md = new StringBuilder();
        md.AppendLine("Design space at the same budget: C2ST per task (mean over the observations run; 0.5 is perfect), mean over tasks, and training time relative to edm-vp on the same tasks in the same script run.");
        md.AppendLine();
        md.AppendLine("| design | " + string.Join(" | ", allTasks) + " | mean C2ST | training time ÷ edm-vp |");
        md.AppendLine("|---|" + string.Concat(allTasks.Select(_ => "---|")) + "---|---|");
        var json = new JsonArray();
        foreach (var (name, tasks) in designs.OrderBy(d => d.Tasks.Count == allTasks.Length ? d.Tasks.Values.Average(v => v.C2st) : 1))
        {
            var cells = allTasks.Select(t => tasks.TryGetValue(t, out var v) ? v.C2st.ToString("F3", CultureInfo.InvariantCulture) : "–");
            var complete = tasks.Count == allTasks.Length;
            var mean = complete ? tasks.Values.Average(v => v.C2st) : double.NaN;
            var shared = baseline.Tasks is null ? Array.Empty<string>() : tasks.Keys.Intersect(baseline.Tasks.Keys).ToArray();
            var ratio = shared.Length == 0 ? double.NaN : shared.Sum(t => tasks[t].Seconds) / shared.Sum(t => baseline.Tasks![t].Seconds);
            md.AppendLine($"| {name} | {string.Join(" | ", cells)} | {(complete ? mean.ToString("F3", CultureInfo.InvariantCulture) : "incomplete")} | {(double.IsNaN(ratio) ? "–" : ratio.ToString("F2", CultureInfo.InvariantCulture))} |");
            var entry = new JsonObject { ["design"] = name, ["mean_c2st"] = complete ? mean : null, ["training_time_ratio"] = double.IsNaN(ratio) ? null : ratio };
            var perTask = new JsonObject();
            foreach (var (t, v) in tasks) perTask[t] = new JsonObject { ["c2st"] = v.C2st, ["training_seconds"] = v.Seconds };
            entry["tasks"] = perTask;
            json.Add(entry);
        }
        AtomicFile.WriteAllText(Path.Combine(dir, "design.md"), md.ToString());
        AtomicFile.WriteAllText(Path.Combine(dir, "design.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.Write(md);
        return 0;
    }
}
