using System.CommandLine;
using SbiSharp.Cli;
using SbiSharp.Cli.Commands;

namespace SbiSharp.Tests.Cli;

/// <summary>Options left off the command line keep the command's own defaults (the demo's 180 s training cap was lost before).</summary>
public class TrainingCliOptionsTests
{
    [Fact]
    public void Read_NoTimeLimitGiven_KeepsTheCommandsDefault()
    {
        var options = new TrainingCliOptions(DemoCommand.DemoTraining);
        var command = new Command("demo");
        options.AddTo(command);
        Assert.Equal(TimeSpan.FromSeconds(180), options.Read(command.Parse(Array.Empty<string>())).TimeLimit);
        Assert.Equal(TimeSpan.FromSeconds(7), options.Read(command.Parse(new[] { "--time-limit", "7" })).TimeLimit);
        Assert.Contains("[default: 180]", options.TimeLimit.Description);
        var plain = new TrainingCliOptions();
        var train = new Command("train");
        plain.AddTo(train);
        Assert.Null(plain.Read(train.Parse(Array.Empty<string>())).TimeLimit);
    }
}
