using SbiSharp.Tests.Cli;

namespace SbiSharp.Tests.Reliability;

/// <summary>An output path that cannot be written is refused before any simulation, training or sampling, and leaves nothing behind.</summary>
[Collection("Console")]
public class OutputPathTests
{
    [Fact]
    public void Train_OutIsAFolder_RefusedBeforeTraining()
    {
        var dir = Directory.CreateTempSubdirectory("sbisharp-out-").FullName;
        var (code, output, error) = CliRunner.Run("train", "--task", "gaussian_linear", "--simulations", "500", "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains($"--out must name a file; '{dir}' is a folder.", error);
        Assert.DoesNotContain("Training", output);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Demo_OutIsAFile_RefusedBeforeSimulating()
    {
        var file = Path.GetTempFileName();
        var (code, output, error) = CliRunner.Run("demo", "--out", file, "--simulations", "100");
        Assert.Equal(2, code);
        Assert.Contains("--out must name a folder", error);
        Assert.DoesNotContain("Simulating", output);
        File.Delete(file);
    }

    [Fact]
    public void Sample_OutIsAFolder_RefusedBeforeLoading()
    {
        var dir = Directory.CreateTempSubdirectory("sbisharp-out-").FullName;
        var (code, _, error) = CliRunner.Run("sample", "--model", Path.Combine(dir, "missing.sbis"), "--observations", Path.Combine(dir, "missing.csv"), "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("--out must name a file", error);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Train_NegativeTimeLimit_NamesTheOptionInSeconds()
    {
        var (code, _, error) = CliRunner.Run("train", "--task", "gaussian_linear", "--time-limit", "-1");
        Assert.Equal(2, code);
        Assert.Contains("--time-limit must be a positive number of seconds; got -1.", error);
    }
}
