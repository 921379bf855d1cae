using SbiSharp.Diagnostics;
using SbiSharp.Plotting;
using SbiSharp.Tests.Diagnostics;

namespace SbiSharp.Tests.Plotting;

public class CalibrationPlotsTests
{
    [Theory]
    [InlineData(".png")]
    [InlineData(".svg")]
    public void Save_WritesEveryFigure(string extension)
    {
        var (samples, truths) = ConjugateDraws.Make(60, 40, 2, seed: 5);
        using var s = samples;
        using var t = truths;
        var report = CalibrationReport.Compute(s, t, sbc: new SbcOptions { NullSimulations = 100 });
        var dir = Path.Combine(Path.GetTempPath(), "sbisharp-plots-" + Guid.NewGuid().ToString("N"));
        CalibrationPlots.Save(dir, report, new[] { "a", "b" }, extension);
        var names = new[] { "a", "b" };
        var columns = Enumerable.Range(0, 2).Select(p => (IReadOnlyList<double>)Enumerable.Range(0, 40).Select(i => s[0, i, p].item<float>() * 1.0).ToArray()).ToArray();
        PairsPlot.Save(Path.Combine(dir, "pairs" + extension), names, columns, columns.Select(c => (IReadOnlyList<double>)c.Select(v => v + 0.1).ToArray()).ToArray(), new[] { 0.0, 0.1 });
        foreach (var file in CalibrationPlots.FileNames(extension).Append("pairs" + extension))
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, file));
            Assert.True(bytes.Length > 1000, file);
            if (extension == ".png") Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes.Take(4).ToArray());
            else Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(bytes));
        }
        Assert.Throws<ArgumentException>(() => CalibrationPlots.Save(dir, report, new[] { "only-one" }, extension));
        Directory.Delete(dir, true);
    }
}
