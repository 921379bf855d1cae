using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Bench;

/// <summary>Calls <c>Sample</c> many times on one estimator and reports resident memory and live tensors at the start, middle and end.</summary>
/// <remarks>
/// A leak of native memory (tensors not disposed, glibc heap growth) or of managed objects shows as resident memory that
/// grows with the number of calls; the target is flat within 10 % from the first tenth of the calls to the end, and zero
/// live tensors left by the calls. The estimator is untrained (the weights do not change the memory profile) and uses the
/// default network and Dθ = Dx = 10 (gaussian_linear's shape).
/// </remarks>
internal static class SoakBench
{
    public static int Run(string outDir, int calls, int draws, int steps)
    {
        using var estimator = new DiffusionPosteriorEstimator(10, 10);
        var options = SamplingOptions.Default with { Sampler = new EulerSampler(steps), Seed = 1 };
        var x = new double[10];
        var process = Process.GetCurrentProcess();
        var rows = new List<SoakRow>();
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        double baseline = 0;
        var clock = Stopwatch.StartNew();
        void Record(int done)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            double rss = process.WorkingSet64 / 1048576.0;
            long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount - liveBefore;
            if (done == calls / 10) baseline = rss;
            rows.Add(new SoakRow(done, Math.Round(rss, 1), live, Math.Round(clock.Elapsed.TotalSeconds, 1)));
            Console.WriteLine($"soak: {done,6} calls  RSS {rss,8:F1} MiB  live tensors {live}  {clock.Elapsed.TotalSeconds:F1} s");
        }
        Record(0);
        for (int i = 1; i <= calls; i++)
        {
            using (estimator.Sample(x, draws, options)) { }
            if (i == calls / 10 || i == calls / 2 || i == calls) Record(i);
        }
        var final = rows[^1].RssMib;
        var growth = baseline > 0 ? final / baseline - 1 : double.NaN;
        var report = new { date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), calls, draws, sampler = $"euler-{steps}", growth_after_first_tenth = Math.Round(growth, 4), rows };
        AtomicFile.WriteAllText(Path.Combine(outDir, "soak.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        var md = new StringBuilder();
        md.AppendLine($"Soak: {calls:N0} calls of Sample({draws} draws, euler-{steps}) on one estimator (bench soak; {report.date})").AppendLine();
        md.AppendLine("| calls | RSS (MiB) | live tensors | seconds |").AppendLine("|---|---|---|---|");
        foreach (var r in rows) md.AppendLine($"| {r.Calls} | {r.RssMib} | {r.LiveTensors} | {r.Seconds} |");
        md.AppendLine().AppendLine($"Resident memory from call {calls / 10} to the end: {growth:+0.0%;-0.0%} (target: within ±10 %).");
        AtomicFile.WriteAllText(Path.Combine(outDir, "soak.md"), md.ToString());
        Console.WriteLine($"wrote {Path.Combine(outDir, "soak.md")}");
        return Math.Abs(growth) <= 0.10 && rows[^1].LiveTensors == 0 ? 0 : 1;
    }

    private sealed record SoakRow(int Calls, double RssMib, long LiveTensors, double Seconds);
}
