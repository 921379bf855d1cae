using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SbiSharp.Diagnostics;
using static TorchSharp.torch;
using SbiSharp.Torch;
using SbiSharp.IO;

namespace SbiSharp.Bench;

/// <summary>
/// Cross-check of our C2ST against scikit-learn's (sbibm's reference implementation) on identical samples: writes pairs of
/// unit-Gaussian samples (mean shift δ in the first coordinate) as headerless CSV, scores them, and times it.
/// bench/c2st/sklearn_c2st.py scores the same files with scikit-learn.
/// </summary>
internal static class C2stCheck
{
    public static readonly (int Dimension, double Shift)[] Cases = { (2, 0), (2, 1), (10, 0), (5, 0.5) };

    public static int Run(string outDir, IReadOnlyList<string>? only)
    {
        Directory.CreateDirectory(outDir);
        using var generator = new Generator(5);
        foreach (var (d, delta) in Cases)
        {
            var name = FormattableString.Invariant($"{d}_{delta}");
            var xPath = Path.Combine(outDir, $"x_{name}.csv");
            var yPath = Path.Combine(outDir, $"y_{name}.csv");
            using var scope = NewDisposeScope();
            var x = randn(new long[] { 10_000, d }, generator: generator);
            var shift = zeros(d);
            shift[0].FillInPlace(delta);
            var y = randn(new long[] { 10_000, d }, generator: generator).Plus(shift);
            if (only is not null && !only.Contains(name)) continue;
            if (File.Exists(xPath) && File.Exists(yPath))
            {
                x = Read(xPath);
                y = Read(yPath);
            }
            else
            {
                Write(xPath, x);
                Write(yPath, y);
            }
            var clock = Stopwatch.StartNew();
            var result = C2st.Score(x, y);
            var seconds = clock.Elapsed.TotalSeconds;
            AtomicFile.WriteAllText(Path.Combine(outDir, $"ours_{name}.json"), JsonSerializer.Serialize(new
            {
                name,
                c2st = result.Accuracy,
                folds = result.FoldAccuracies,
                epochs = result.FoldEpochs,
                seconds,
            }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine(FormattableString.Invariant($"{name}: SbiSharp C2ST {result.Accuracy:F4} epochs [{string.Join(", ", result.FoldEpochs)}] in {seconds:F1} s"));
        }
        return 0;
    }

    private static void Write(string path, Tensor values)
    {
        var d = (int)values.shape[1];
        var flat = values.contiguous().data<float>().ToArray();
        AtomicFile.WriteAllText(path, string.Concat(Enumerable.Range(0, (int)values.shape[0])
            .Select(i => string.Join(",", Enumerable.Range(0, d).Select(j => flat[i * d + j].ToString("R", CultureInfo.InvariantCulture))) + "\n")));
    }

    private static Tensor Read(string path)
    {
        var rows = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, rows[0].Length });
    }
}
