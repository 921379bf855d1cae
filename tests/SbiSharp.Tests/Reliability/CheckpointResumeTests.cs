using System.Diagnostics;
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Tasks;
using SbiSharp.Tests.Cli;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Reliability;

/// <summary>Training stopped at any point and resumed from its checkpoint ends with the weights of a run never stopped.</summary>
[Collection("Console")]
public class CheckpointResumeTests
{
    private static readonly DiffusionEstimatorOptions Tiny = DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 32, Blocks = 1 }, InitializationSeed = 3 };
    private static readonly TrainingOptions Short = TrainingOptions.Default with { Epochs = 12, BatchSize = 128, CheckpointInterval = TimeSpan.Zero, Seed = 5 };

    private static InMemoryDataset Data()
    {
        using var generator = new Generator(11);
        return InMemoryDataset.Simulate(BuiltInTasks.Create("gaussian_linear").Joint(), 1_500, generator);
    }

    private static byte[] TrainAndSave(InMemoryDataset data, TrainingOptions options, string path, CancellationToken token = default, IProgress<TrainingProgress>? progress = null)
    {
        using var estimator = new DiffusionPosteriorEstimator(data.ParameterDimension, data.ObservationDimension, Tiny);
        estimator.Train(data, options, progress: progress, cancellationToken: token);
        estimator.Save(path);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void Train_CancelledThenResumed_EqualsUninterrupted()
    {
        var dir = Directory.CreateTempSubdirectory("sbisharp-ckpt-").FullName;
        using var data = Data();
        var reference = TrainAndSave(data, Short, Path.Combine(dir, "reference.sbis"));
        var withCheckpoints = Short with { CheckpointDirectory = Path.Combine(dir, "ckpt") };
        using var cancel = new CancellationTokenSource();
        var stopped = TrainAndSave(data, withCheckpoints, Path.Combine(dir, "stopped.sbis"), cancel.Token,
            new SynchronousProgress<TrainingProgress>(p => { if (p.Epoch == 5) cancel.Cancel(); }));
        Assert.NotEqual(reference, stopped);
        using var estimator = new DiffusionPosteriorEstimator(data.ParameterDimension, data.ObservationDimension, Tiny);
        var resumed = estimator.Train(data, withCheckpoints);
        Assert.Equal(4L * 11, resumed.ResumedFromStep); // 1,350 training rows → 11 batches per epoch; epoch 4 was the last one checkpointed
        estimator.Save(Path.Combine(dir, "resumed.sbis"));
        Assert.Equal(reference, File.ReadAllBytes(Path.Combine(dir, "resumed.sbis")));
        Assert.Equal(Short.Epochs, resumed.Losses.Count);

        // A finished checkpoint reproduces the same model again; another configuration is refused with a clear message.
        using (var again = new DiffusionPosteriorEstimator(data.ParameterDimension, data.ObservationDimension, Tiny))
        {
            Assert.Equal(resumed.Steps, again.Train(data, withCheckpoints).ResumedFromStep);
            again.Save(Path.Combine(dir, "again.sbis"));
        }
        Assert.Equal(reference, File.ReadAllBytes(Path.Combine(dir, "again.sbis")));
        using var other = new DiffusionPosteriorEstimator(data.ParameterDimension, data.ObservationDimension, Tiny);
        var e = Assert.Throws<InvalidDataException>(() => other.Train(data, withCheckpoints with { LearningRate = 1e-3 }));
        Assert.Contains("belongs to another training configuration or data set", e.Message);
        Directory.Delete(dir, true);
    }

    /// <summary>A child `sbisharp train` killed with SIGKILL as soon as it has a checkpoint, then run again, ends where an uninterrupted run ends.</summary>
    [Fact]
    public void Cli_TrainKilledWithSigkill_ResumesToTheSameWeights()
    {
        var dir = Directory.CreateTempSubdirectory("sbisharp-kill-").FullName;
        string[] Args(string outFile, bool checkpoint) => new[] { "train", "--task", "gaussian_linear", "--simulations", "3000", "--epochs", "40", "--patience", "0",
            "--width", "32", "--blocks", "1", "--seed", "3", "--out", Path.Combine(dir, outFile) }
            .Concat(checkpoint ? new[] { "--checkpoint-dir", Path.Combine(dir, "ckpt"), "--checkpoint-interval", "0" } : Array.Empty<string>()).ToArray();
        var (code, _, error) = CliRunner.Run(Args("reference.sbis", checkpoint: false));
        Assert.True(code == 0, error);

        var cli = Path.Combine(AppContext.BaseDirectory, "SbiSharp.Cli.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var a in Args("model.sbis", checkpoint: true)) start.ArgumentList.Add(a);
        using (var child = Process.Start(start)!)
        {
            child.OutputDataReceived += (_, _) => { };
            child.ErrorDataReceived += (_, _) => { };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            var checkpoint = Path.Combine(dir, "ckpt", "checkpoint.sbis");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !child.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            Thread.Sleep(150);
            Assert.False(child.HasExited, "the child finished before it could be killed; give it more epochs");
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(dir, "model.sbis")));
        (code, var stdout, error) = CliRunner.Run(Args("model.sbis", checkpoint: true));
        Assert.Contains("resumed from the checkpoint", stdout);
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "reference.sbis")), File.ReadAllBytes(Path.Combine(dir, "model.sbis")));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(dir, "ckpt")), f => f.EndsWith(".tmp"));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Cli_ParseErrors_ExitTwoWithOneLine()
    {
        foreach (var args in new[] { new[] { "train", "--no-such-option" }, new[] { "train", "--epochs", "ten" }, new[] { "sample", "--model" }, new[] { "frobnicate" } })
        {
            var (code, _, error) = CliRunner.Run(args);
            Assert.Equal(2, code);
            Assert.Single(error.Trim().Split('\n'));
            Assert.StartsWith("error: ", error);
        }
    }
}
