using SbiSharp.IO;
using SbiSharp.States;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Cli;

/// <summary>`sbisharp prior train` and `sbisharp posterior` end to end on a small field, and their refusals.</summary>
public class PriorCommandTests
{
    [Fact]
    public void PriorTrainThenPosterior_WritesDrawsSummaryAndFigure()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"sbisharp-prior-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var field = new GaussianRandomField(8, 8, lengthScale: 2);
            using (var states = field.Sample(128, new Generator(1)).reshape(128, 1, 8, 8)) NpyFile.Write(Path.Combine(dir, "fields.npy"), states);
            using var truth = field.Sample(1, new Generator(2), ScalarType.Float64);
            NpyFile.Write(Path.Combine(dir, "truth.npy"), truth.reshape(1, 8, 8));
            using var mask = zeros(new long[] { 8, 8 }, dtype: ScalarType.Bool);
            mask[0, 0] = tensor(true); mask[3, 5] = tensor(true); mask[7, 2] = tensor(true);
            NpyFile.Write(Path.Combine(dir, "mask.npy"), mask);
            NpyFile.Write(Path.Combine(dir, "y.npy"), tensor(new[] { 0.5, -0.2, 1.0 }));
            var prior = Path.Combine(dir, "prior.sbis");
            var (code, _, error) = CliRunner.Run("prior", "train", "--data", Path.Combine(dir, "fields.npy"), "--out", prior, "--max-steps", "5", "--batch-size", "32", "--unet-width", "8", "--unet-levels", "2");
            Assert.True(code == 0, error);
            var outDir = Path.Combine(dir, "post");
            (code, _, error) = CliRunner.Run("posterior", "--prior", prior, "--observation", Path.Combine(dir, "y.npy"), "--operator", "mask:" + Path.Combine(dir, "mask.npy"),
                "--noise", "0.1", "--num-samples", "12", "--out", outDir, "--truth", Path.Combine(dir, "truth.npy"), "--sampler", "euler", "--steps", "3", "--cg-iterations", "1");
            Assert.True(code == 0, error);
            var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))).RootElement;
            Assert.True(summary.GetProperty("Rmse").GetDouble() > 0);
            Assert.InRange(summary.GetProperty("Coverage90").GetDouble(), 0, 1);
            using var draws = NpyFile.Read(Path.Combine(outDir, "samples.npy"));
            Assert.Equal(new long[] { 12, 1, 8, 8 }, draws.shape);
            foreach (var f in new[] { "mean.npy", "std.npy", "posterior.png", "summary.json" }) Assert.True(File.Exists(Path.Combine(outDir, f)), f);

            (code, _, error) = CliRunner.Run("posterior", "--prior", prior, "--observation", Path.Combine(dir, "y.npy"), "--operator", "coarse:3", "--noise", "0.1", "--out", outDir);
            Assert.Equal(2, code);
            Assert.Contains("`factor` = 3 must divide", error);
            (code, _, error) = CliRunner.Run("posterior", "--prior", prior, "--observation", Path.Combine(dir, "y.npy"), "--operator", "coarse:2", "--noise", "0.1", "--out", outDir);
            Assert.Equal(2, code);
            Assert.Contains("holds 3 values", error);
            (code, _, error) = CliRunner.Run("posterior", "--prior", prior, "--observation", Path.Combine(dir, "y.npy"), "--operator", "mask:" + Path.Combine(dir, "mask.npy"), "--noise", "0", "--out", outDir);
            Assert.Equal(2, code);
            Assert.Contains("--noise must be a positive", error);
            (code, _, error) = CliRunner.Run("posterior", "--prior", prior, "--observation", Path.Combine(dir, "y.npy"), "--operator", "warp:2", "--noise", "0.1", "--out", outDir);
            Assert.Equal(2, code);
            Assert.Contains("--operator 'warp' is unknown", error);
            (code, _, error) = CliRunner.Run("prior", "train", "--data", Path.Combine(dir, "mask.npy"), "--out", prior);
            Assert.Equal(2, code);
            Assert.Contains("states must be float32 or float64", error);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
