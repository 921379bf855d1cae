namespace SbiSharp.Tests.Cli;

/// <summary>`sbisharp distill` refuses bad input with one line and exit 2, writing nothing.</summary>
[Collection("Console")]
public class DistillCommandTests
{
    [Fact]
    public void Distill_MissingTeacher_SamplingStepsOffTheGrid_AndAConsistencyTeacher_AreRefused()
    {
        var dir = Directory.CreateTempSubdirectory("sbisharp-distill-").FullName;
        var student = Path.Combine(dir, "student.sbis");
        var (code, _, error) = CliRunner.Run("distill", "--model", Path.Combine(dir, "missing.sbis"), "--task", "gaussian_linear", "--simulations", "200", "--out", student);
        Assert.Equal(2, code);
        Assert.Contains("missing.sbis", error);
        (code, _, error) = CliRunner.Run("distill", "--model", Path.Combine(dir, "missing.sbis"), "--task", "gaussian_linear", "--sampling-steps", "3", "--out", student);
        Assert.Equal(2, code);
        Assert.Contains("`SamplingSteps` must divide `Intervals` = 40", error);
        var teacher = Path.Combine(dir, "ct.sbis");
        (code, _, error) = CliRunner.Run("train", "--task", "gaussian_linear", "--simulations", "200", "--method", "consistency", "--max-steps", "2", "--width", "16", "--blocks", "1", "--out", teacher);
        Assert.True(code == 0, error);
        (code, _, error) = CliRunner.Run("distill", "--model", teacher, "--task", "gaussian_linear", "--simulations", "200", "--out", student);
        Assert.Equal(2, code);
        Assert.Contains("has no probability-flow ODE to distill", error);
        Assert.False(File.Exists(student));
        Directory.Delete(dir, true);
    }
}
