namespace SbiSharp.Tests.Cli;

/// <summary>Named choices added this session (--transform, --optimizer, --validation, --sampler) refuse an unknown name with the valid ones, exit 2, before any work.</summary>
[Collection("Console")]
public class ChoiceOptionTests
{
    [Theory]
    [InlineData("--transform", "logit", "valid: identity, unconstrained")]
    [InlineData("--optimizer", "sgd", "valid: auto, adamw, adam")]
    [InlineData("--optimizer", "1", "valid: auto, adamw, adam")]
    [InlineData("--validation", "holdout", "valid: auto, split, stream, none")]
    public void Train_UnknownChoice_ExitsTwoWithTheValidNames(string option, string value, string expected)
    {
        var output = Path.Combine(Path.GetTempPath(), $"sbisharp-choice-{Guid.NewGuid():N}.sbis");
        var (code, _, error) = CliRunner.Run("train", "--task", "two_moons", "--simulations", "200", "--epochs", "1", option, value, "--out", output);
        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.Contains($"'{value}'", error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Sample_UnknownSampler_ListsTheRegisteredOnes()
    {
        var (code, _, error) = CliRunner.Run("sample", "--model", "missing.sbis", "--observations", "missing.csv", "--sampler", "leapfrog", "--out", Path.Combine(Path.GetTempPath(), "s.csv"));
        Assert.Equal(2, code);
        Assert.Contains("Unknown sampler 'leapfrog' (--sampler); valid: dpm-solver++, heun, euler", error);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void SamplingOptions_MinAcceptanceRateOutsideUnitInterval_IsRefused(double rate)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (SbiSharp.Estimators.SamplingOptions.Default with { MinAcceptanceRate = rate }).Validate());
        Assert.Contains("`MinAcceptanceRate` must lie in (0, 1]", e.Message);
    }
}
