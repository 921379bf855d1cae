using SbiSharp.Tasks;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Tasks;

/// <summary>Every built-in task simulates finite data of the right shape, and the stored sbibm data loads with checked shapes.</summary>
public class TaskTests
{
    public static TheoryData<string> Names => new(BuiltInTasks.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Simulate_ShapesAndFiniteValues(string name)
    {
        var task = BuiltInTasks.Create(name, TestData.SbibmRoot);
        using var batch = task.Joint().Sample(500, new Generator(1));
        Assert.Equal(new long[] { 500, task.ParameterDimension }, batch.Theta.shape);
        Assert.Equal(new long[] { 500, task.ObservationDimension }, batch.X.shape);
        Assert.True(isfinite(batch.X).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void StoredObservation_IsTypicalForTheSimulator(string name)
    {
        if (name == InverseKinematicsTask.Name) return; // no stored data for the tutorial task
        var task = BuiltInTasks.Create(name, TestData.SbibmRoot);
        var data = new SbibmData(name, task.ParameterDimension, task.ObservationDimension, TestData.SbibmRoot);
        // Re-simulate at the true parameters: the stored observation must lie within the simulated range in every coordinate.
        var truth = data.TrueParameters(1);
        using var theta = tensor(truth, dtype: ScalarType.Float32).unsqueeze(0).expand(20_000, truth.Length).contiguous();
        using var x = task.Simulator.Simulate(theta, new Generator(2));
        var observed = data.Observation(1);
        for (int j = 0; j < observed.Length; j++)
        {
            var lo = x[.., j].min().item<float>();
            var hi = x[.., j].max().item<float>();
            Assert.InRange(observed[j], lo - 1e-3, hi + 1e-3);
        }
        using var reference = data.ReferenceSamples(1);
        Assert.Equal(new long[] { 10_000, task.ParameterDimension }, reference.shape);
    }

    [Fact]
    public void GaussianLinear_ReferenceMatchesAnalyticPosterior()
    {
        var data = new SbibmData(GaussianLinearTask.Name, 10, 10, TestData.SbibmRoot);
        var x = data.Observation(3);
        using var reference = data.ReferenceSamples(3);
        var mean = reference.mean(new long[] { 0 }).data<float>().ToArray();
        for (int j = 0; j < 10; j++) Assert.InRange(mean[j], x[j] / 2 - 0.01, x[j] / 2 + 0.01);
    }

    [Fact]
    public void Loader_WrongShape_NamesTheFile()
    {
        var data = new SbibmData(TwoMoonsTask.Name, 3, 2, TestData.SbibmRoot);
        var e = Assert.Throws<InvalidDataException>(() => data.TrueParameters(1));
        Assert.Contains("true_parameters_1.csv", e.Message);
        Assert.Contains("of 3 values", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Observation(11));
        Assert.Throws<DirectoryNotFoundException>(() => new SbibmData("no_such_task", 2, 2, TestData.SbibmRoot));
    }

    [Fact]
    public void Create_UnknownName_ListsValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => BuiltInTasks.Create("three_moons"));
        Assert.Contains("two_moons", e.Message);
        Assert.Contains("slcp", e.Message);
    }
}
