using System.Text.Json;
using SbiSharp.Cli;

namespace SbiSharp.Tests.Cli;

/// <summary>The command line end to end, in process, on tiny budgets.</summary>
[Collection("Console")]
public class CliTests
{
    private static (int Code, string Out, string Error) Run(params string[] args) => CliRunner.Run(args);

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sbisharp-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void Demo_TinyBudget_WritesAllOutputs()
    {
        var dir = TempDir();
        var (code, _, error) = Run("demo", "--out", dir, "--simulations", "600", "--epochs", "2", "--width", "32", "--blocks", "1",
            "--num-samples", "100", "--calibration-sets", "10", "--calibration-draws", "20", "--steps", "5", "--guide", "elbow-down");
        Assert.True(code == 0, error);
        foreach (var file in new[] { "samples_guided.csv", "arm_guided.png", "samples.csv", "posterior_marginals.png", "arm_configurations.png", "coverage.png", "recovery.png", "calibration_ecdf.png", "loss.png", "summary.json", "model.sbis" })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        var lines = File.ReadAllLines(Path.Combine(dir, "samples.csv"));
        Assert.Equal("h,alpha1,alpha2,alpha3", lines[0]);
        Assert.Equal(101, lines.Length);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var coverage = summary.RootElement.GetProperty("calibration").GetProperty("coverage");
        Assert.Equal(4, coverage.GetArrayLength());
        Assert.InRange(coverage[0].GetProperty("levels").GetProperty("0.95").GetDouble(), 0, 1);
        Assert.True(summary.RootElement.GetProperty("training").GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(4, summary.RootElement.GetProperty("diagnostics").GetProperty("parameters").GetArrayLength());
        var guidance = summary.RootElement.GetProperty("guidance");
        Assert.Equal("elbow-down", guidance.GetProperty("constraint").GetString());
        Assert.InRange(guidance.GetProperty("fraction_satisfied").GetDouble(), 0, 1);
        var png = File.ReadAllBytes(Path.Combine(dir, "posterior_marginals.png"));
        Assert.Equal(0x89, png[0]);
        Assert.True(png.Length > 10_000);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void TrainThenSample_UserCsv_RoundTrips()
    {
        var dir = TempDir();
        var rng = new Random(1);
        var theta = new List<string> { "a,b" };
        var x = new List<string> { "x1,x2" };
        for (int i = 0; i < 400; i++)
        {
            double a = rng.NextDouble(), b = rng.NextDouble();
            theta.Add(FormattableString.Invariant($"{a},{b}"));
            x.Add(FormattableString.Invariant($"{a + b},{a - b + 0.1 * rng.NextDouble()}"));
        }
        File.WriteAllLines(Path.Combine(dir, "theta.csv"), theta);
        File.WriteAllLines(Path.Combine(dir, "x.csv"), x);
        File.WriteAllLines(Path.Combine(dir, "obs.csv"), new[] { "x1,x2", "1.0,0.0", "0.5,0.2" });
        var model = Path.Combine(dir, "m.sbis");
        var (code, _, error) = Run("train", "--theta", Path.Combine(dir, "theta.csv"), "--x", Path.Combine(dir, "x.csv"), "--out", model, "--epochs", "2", "--width", "16", "--blocks", "1", "--condition-dropout", "0.1", "--importance-sampling");
        Assert.True(code == 0, error);
        using (var trained = SbiSharp.Estimators.DiffusionPosteriorEstimator.Load(model))
            Assert.True(trained.Options.ImportanceSampledNoise);
        var samples = Path.Combine(dir, "s.csv");
        (code, _, error) = Run("sample", "--model", model, "--observations", Path.Combine(dir, "obs.csv"), "--num-samples", "7", "--out", samples, "--steps", "4");
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(samples);
        Assert.Equal("observation,a,b", lines[0]);
        Assert.Equal(15, lines.Length);
        // Both observation rows composed into one posterior (the model's own unconditional mode as prior).
        (code, _, error) = Run("sample", "--model", model, "--observations", Path.Combine(dir, "obs.csv"), "--num-samples", "9", "--out", samples, "--steps", "4", "--compose", "gauss");
        Assert.True(code == 0, error);
        lines = File.ReadAllLines(samples);
        Assert.Equal("a,b", lines[0]);
        Assert.Equal(10, lines.Length);
        // Inpainting: a fixed at 0.3, b sampled.
        (code, _, error) = Run("sample", "--model", model, "--observations", Path.Combine(dir, "obs.csv"), "--num-samples", "5", "--out", samples, "--steps", "30", "--fix", "1=0.3");
        Assert.True(code == 0, error);
        foreach (var line in File.ReadAllLines(samples).Skip(1))
            Assert.InRange(double.Parse(line.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), 0.29, 0.31);
        // The same through the guidance registry, on the other parameter.
        (code, _, error) = Run("sample", "--model", model, "--observations", Path.Combine(dir, "obs.csv"), "--num-samples", "5", "--out", samples, "--steps", "30", "--guidance", "fix:2=-0.2");
        Assert.True(code == 0, error);
        foreach (var line in File.ReadAllLines(samples).Skip(1))
            Assert.InRange(double.Parse(line.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture), -0.21, -0.19);
        // Classifier-free guidance and a bound, in order (the model was trained with condition dropout).
        (code, _, error) = Run("sample", "--model", model, "--observations", Path.Combine(dir, "obs.csv"), "--num-samples", "5", "--out", samples, "--steps", "10",
            "--guidance", "classifier-free:1", "--guidance", "bound:1>=-5");
        Assert.True(code == 0, error);
        foreach (var (extra, expected) in new[]
                 {
                     (new[] { "--fix", "a=1" }, "Guidance 'fix' expects INDEX=VALUE"), (new[] { "--fix", "3=1" }, "Guidance 'fix' index must lie in [1, 2]"),
                     (new[] { "--compose", "mean" }, "Unknown --compose 'mean'"), (new[] { "--guidance", "push:1" }, "Unknown --guidance 'push'; valid: fix, bound, classifier-free"),
                     (new[] { "--guidance", "bound:1>0" }, "Guidance 'bound' expects INDEX>=VALUE or INDEX<=VALUE"),
                     (new[] { "--guidance", "classifier-free:-2" }, "must be finite and at least −1; got -2"),
                 })
        {
            (code, _, error) = Run(new[] { "sample", "--model", model, "--observations", Path.Combine(dir, "obs.csv"), "--out", samples }.Concat(extra).ToArray());
            Assert.True(code == 2, $"{string.Join(' ', extra)}: exit {code}, {error}");
            Assert.Contains(expected, error);
        }
        var diagnostics = Path.Combine(dir, "diag");
        (code, _, error) = Run("diagnose", "--model", model, "--theta", Path.Combine(dir, "theta.csv"), "--x", Path.Combine(dir, "x.csv"), "--num-samples", "20", "--steps", "4", "--out", diagnostics);
        Assert.True(code == 0, error);
        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(diagnostics, "diagnostics.json"))))
        {
            Assert.Equal(400, json.RootElement.GetProperty("test_sets").GetInt32());
            Assert.Equal("a", json.RootElement.GetProperty("parameters")[0].GetProperty("parameter").GetString());
        }
        foreach (var file in SbiSharp.Plotting.CalibrationPlots.FileNames()) Assert.True(new FileInfo(Path.Combine(diagnostics, file)).Length > 1000, file);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void TrainEnsemble_ThenSample_DrawsTheMixture_AndRefusesGuidance()
    {
        var dir = TempDir();
        var model = Path.Combine(dir, "e.sbis");
        var (code, _, error) = Run("train", "--task", "gaussian_linear", "--simulations", "300", "--epochs", "2", "--width", "16", "--blocks", "1", "--ensemble", "2", "--out", model);
        Assert.True(code == 0, error);
        using (var loaded = SbiSharp.Estimators.PosteriorEnsemble.Load(model))
            Assert.Equal(2, loaded.Members.Count);
        File.WriteAllLines(Path.Combine(dir, "obs.csv"), new[] { string.Join(',', Enumerable.Range(1, 10).Select(i => $"x{i}")), string.Join(',', Enumerable.Repeat("0.1", 10)) });
        var samples = Path.Combine(dir, "s.csv");
        (code, _, error) = Run("sample", "--model", model, "--observations", Path.Combine(dir, "obs.csv"), "--num-samples", "9", "--out", samples, "--steps", "4");
        Assert.True(code == 0, error);
        Assert.Equal(10, File.ReadAllLines(samples).Length);
        (code, _, error) = Run("sample", "--model", model, "--observations", Path.Combine(dir, "obs.csv"), "--out", samples, "--fix", "1=0.3");
        Assert.Equal(2, code);
        Assert.Contains("is an ensemble", error);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void TrainSequential_WritesTheLastRoundsModel()
    {
        var dir = TempDir();
        File.WriteAllLines(Path.Combine(dir, "obs.csv"), new[] { "x1,x2", "0.1,-0.2" });
        var model = Path.Combine(dir, "seq.sbis");
        var (code, output, error) = Run("train", "--task", "two_moons", "--sequential", "--rounds", "2", "--observation", Path.Combine(dir, "obs.csv"),
            "--simulations", "400", "--epochs", "2", "--width", "16", "--blocks", "1", "--out", model);
        Assert.True(code == 0, error);
        Assert.Contains("round 2: 200 simulations from prior mass", output);
        using var loaded = SbiSharp.Estimators.DiffusionPosteriorEstimator.Load(model);
        Assert.Equal(2, loaded.ParameterDimension);
        File.WriteAllLines(Path.Combine(dir, "bad.csv"), new[] { "x1", "0.1" });
        (code, _, error) = Run("train", "--task", "two_moons", "--sequential", "--observation", Path.Combine(dir, "bad.csv"), "--out", model);
        Assert.Equal(2, code);
        Assert.Contains("--observation must hold one row of 2 values for task 'two_moons'; got 1 rows of 1", error);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("unknown sampler", "demo", "--sampler", "rk99")]
    [InlineData("Unknown task", "train", "--task", "nope")]
    [InlineData("--theta and --x", "train", "--theta", "a.csv")]
    [InlineData("Unknown method", "bench", "--method", "nope")]
    [InlineData("Unknown method", "train", "--task", "gaussian_linear", "--simulations", "100", "--method", "cosine-x")]
    [InlineData("--rtol must be positive", "demo", "--sampler", "rk45-adaptive", "--rtol", "-1")]
    [InlineData("not found", "diagnose", "--model", "/nonexistent/m.sbis", "--task", "two_moons")]
    [InlineData("Give either --task NAME", "diagnose", "--model", "m.sbis")]
    [InlineData("--num-samples must be at least 2", "diagnose", "--model", "m.sbis", "--task", "two_moons", "--num-samples", "1")]
    [InlineData("not found", "sample", "--model", "/nonexistent/m.sbis", "--observations", "/nonexistent/o.csv")]
    [InlineData("--simulations must be positive", "demo", "--simulations", "0")]
    [InlineData("Unknown --guide 'sideways'", "demo", "--guide", "sideways")]
    [InlineData("--guide-strength must be finite", "demo", "--guide", "elbow-up", "--guide-strength", "-1")]
    [InlineData("--condition-dropout must lie in [0, 1)", "train", "--task", "gaussian_linear", "--simulations", "100", "--condition-dropout", "1")]
    [InlineData("--budget must be at least 100", "bench", "--budget", "5")]
    [InlineData("--sequential needs --task", "train", "--sequential", "--theta", "a.csv", "--x", "b.csv")]
    [InlineData("--sequential needs --observation", "train", "--sequential", "--task", "two_moons")]
    [InlineData("--observation is the target of --sequential", "train", "--task", "two_moons", "--observation", "o.csv")]
    [InlineData("--sequential and --ensemble cannot be combined", "bench", "--sequential", "2", "--ensemble", "2")]
    [InlineData("--ensemble must be at least 1 member; got 0", "train", "--task", "gaussian_linear", "--ensemble", "0")]
    [InlineData("--ensemble must be at least 1 member; got -1", "bench", "--ensemble", "-1")]
    [InlineData("Unknown value 'steep' for --schedule", "train", "--task", "gaussian_linear", "--schedule", "steep")]
    [InlineData("Unknown task", "bench", "--task", "three_moons")]
    [InlineData("--observations must list numbers in 1..10", "bench", "--observations", "11")]
    public void BadInput_ExitCode2_OneLineOnStderr(string expected, params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Help_ShowsDefaultsFromOptionRecords()
    {
        var (code, output, _) = Run("train", "--help");
        Assert.Equal(0, code);
        Assert.Contains($"[default: {SbiSharp.Training.TrainingOptions.Default.Epochs}]", output);
        Assert.Contains("[default: 0.0005]", output);
    }
}

[Collection("Console")]
public class BenchSmokeTests
{
    [Fact]
    public void Bench_TinyTwoMoons_WritesSamplesResultsAndResumes()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sbisharp-bench-" + Guid.NewGuid().ToString("N"));
        var args = new[] { "bench", "--task", "two_moons", "--budget", "500", "--out", dir, "--observations", "1", "2", "--num-samples", "300",
            "--epochs", "2", "--width", "32", "--blocks", "1", "--steps", "4", "--c2st-max-epochs", "30", "--data", TestData.SbibmRoot };
        var stdout = new StringWriter();
        var old = Console.Out;
        Console.SetOut(stdout);
        try
        {
            Assert.Equal(0, SbiSharp.Cli.Program.Run(args));
            var lines = File.ReadAllLines(Path.Combine(dir, "two_moons", "samples_1.csv"));
            Assert.Equal("parameter_1,parameter_2", lines[0]);
            Assert.Equal(301, lines.Length);
            using var results = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            var observations = results.RootElement.GetProperty("tasks").GetProperty("two_moons").GetProperty("observations");
            Assert.Equal(2, observations.GetArrayLength());
            var c2st = observations[0].GetProperty("c2st").GetDouble();
            Assert.InRange(c2st, 0.5, 1.0);
            Assert.Contains("two_moons", File.ReadAllText(Path.Combine(dir, "results.md")));
            var stamp = File.GetLastWriteTimeUtc(Path.Combine(dir, "two_moons", "c2st_1.json"));
            Assert.Equal(0, SbiSharp.Cli.Program.Run(args)); // resume: nothing is redone
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(dir, "two_moons", "c2st_1.json")));
            Assert.Contains("reusing trained model", stdout.ToString());
        }
        finally
        {
            Console.SetOut(old);
            Directory.Delete(dir, true);
        }
    }
}
