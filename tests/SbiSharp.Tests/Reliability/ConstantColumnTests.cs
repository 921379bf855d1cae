using Microsoft.Extensions.Logging;
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Tests.Cli;
using SbiSharp.Torch;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Reliability;

/// <summary>Columns without spread: a fixed θ is refused with its name and value, a constant x is trained on with a warning, never NaN standardization.</summary>
[Collection("Console")]
public class ConstantColumnTests
{
    private static DiffusionPosteriorEstimator Tiny(int dTheta = 2, int dX = 2) =>
        new(dTheta, dX, DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 16, Blocks = 1 } }, parameterNames: dTheta == 2 ? new[] { "mu", "scale" } : null);

    private static readonly TrainingOptions Short = TrainingOptions.Default with { Epochs = 1, BatchSize = 50 };

    [Fact]
    public void Standardizer_ConstantColumn_KeepsUnitScaleAndIsListed()
    {
        using var data = cat(new[] { randn(100, 1, generator: new Generator(1)), ScalarMath.Full(100, 1, 3.25) }, 1);
        var s = Standardizer.Fit(new[] { data });
        Assert.Equal(new[] { 1 }, s.ConstantColumns);
        Assert.Equal(1.0, s.Std[1]);
        Assert.Equal(3.25, s.Mean[1], 6);
        using var z = s.Forward(data);
        Assert.True(z.isfinite().all().item<bool>());
    }

    [Fact]
    public void Train_ParameterThatNeverVaries_IsRefusedWithItsNameAndValue()
    {
        using var estimator = Tiny();
        using var theta = cat(new[] { randn(200, 1, generator: new Generator(1)), ScalarMath.Full(200, 1, 0.5) }, 1);
        using var x = randn(200, 2, generator: new Generator(2));
        using var data = new InMemoryDataset(theta, x);
        var e = Assert.Throws<ArgumentException>(() => estimator.Train(data, Short));
        Assert.Contains("'scale' = 0.5", e.Message);
        Assert.Contains("`training`", e.Message);
        Assert.False(estimator.IsTrained);
    }

    [Fact]
    public void Train_ConstantObservationColumn_WarnsAndStaysFinite()
    {
        using var estimator = Tiny();
        using var theta = randn(200, 2, generator: new Generator(1));
        using var x = cat(new[] { theta.narrow(1, 0, 1).clone(), ScalarMath.Full(200, 1, -7.0) }, 1);
        using var data = new InMemoryDataset(theta, x);
        var logger = new ListLogger();
        var result = estimator.Train(data, Short, logger: logger);
        Assert.True(double.IsFinite(result.BestValidationLoss));
        Assert.Contains(logger.Warnings, w => w.Contains("Observation columns 2 (1-based) are constant"));
        using var draws = estimator.Sample(new[] { 0.3, -7.0 }, 10, SamplingOptions.Default with { Sampler = new SbiSharp.Sampling.EulerSampler(3), Seed = 1 });
        Assert.True(draws.isfinite().all().item<bool>());
    }

    [Fact]
    public void Cli_Train_ConstantObservationColumn_PrintsAWarningLine()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sbisharp-constant-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var rng = new Random(3);
        File.WriteAllLines(Path.Combine(dir, "theta.csv"), new[] { "a" }.Concat(Enumerable.Range(0, 100).Select(_ => FormattableString.Invariant($"{rng.NextDouble()}"))));
        File.WriteAllLines(Path.Combine(dir, "x.csv"), new[] { "x1,x2" }.Concat(Enumerable.Range(0, 100).Select(_ => FormattableString.Invariant($"{rng.NextDouble()},1"))));
        var (code, _, error) = CliRunner.Run("train", "--theta", Path.Combine(dir, "theta.csv"), "--x", Path.Combine(dir, "x.csv"), "--out", Path.Combine(dir, "m.sbis"),
            "--epochs", "1", "--width", "16", "--blocks", "1");
        Assert.True(code == 0, error);
        Assert.Contains("warning: Observation columns 2 (1-based) are constant", error);
        Directory.Delete(dir, true);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Warnings { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) Warnings.Add(formatter(state, exception));
        }
    }
}
