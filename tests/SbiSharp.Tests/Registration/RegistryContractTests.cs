using System.Text.Json;
using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Registration;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Registration;

/// <summary>Every registered type round-trips through JSON under its name; a user's schedule and network train, save, load and sample.</summary>
public class RegistryContractTests
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private static TheoryData<string> Of<T>(Registry<T> registry) where T : class
    {
        var data = new TheoryData<string>();
        foreach (var name in registry.Names) data.Add(name);
        return data;
    }

    public static TheoryData<string> Schedules => Of(Registries.Schedules);
    public static TheoryData<string> Parameterizations => Of(Registries.Parameterizations);
    public static TheoryData<string> Weightings => Of(Registries.Weightings);
    public static TheoryData<string> Networks => Of(Registries.Networks);

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Schedule_RoundTripsUnderItsNameWithMonotoneLogSnr(string name)
    {
        var schedule = Registries.Schedules.Create(name);
        var json = JsonSerializer.Serialize(schedule, Json);
        Assert.Contains($"\"schedule\": \"{name}\"", json);
        var back = JsonSerializer.Deserialize<INoiseSchedule>(json, Json)!;
        Assert.Equal(schedule.GetType(), back.GetType());
        for (double t = 0; t <= 1.0001; t += 0.1)
            Assert.Equal(schedule.LogSnr(Math.Min(t, 1)), back.LogSnr(Math.Min(t, 1)), 12);
        Assert.True(schedule.LogSnr(0.2) > schedule.LogSnr(0.8));
    }

    [Theory]
    [MemberData(nameof(Parameterizations))]
    public void Parameterization_RoundTripsAndItsNameIsTheRegisteredOne(string name)
    {
        var p = Registries.Parameterizations.Create(name);
        Assert.Equal(name, p.Name);
        var back = JsonSerializer.Deserialize<Parameterization>(JsonSerializer.Serialize(p, Json), Json)!;
        Assert.Equal(p.GetType(), back.GetType());
    }

    [Theory]
    [MemberData(nameof(Parameterizations))]
    public void Parameterization_AsLossSpace_MeasuresItsOwnTargetError(string name)
    {
        // The loss space of a parameterization is its own target: the error of the output that gives D₁ instead of D₂ is c·(D₂ − D₁).
        var p = Registries.Parameterizations.Create(name);
        var schedule = new EdmSchedule();
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var logSnr = linspace(-6, 8, 15, dtype: ScalarType.Float64).unsqueeze(1);
        var (alpha, sigma) = schedule.Scales(logSnr);
        var thetaT = randn(new long[] { 15, 2 }, dtype: ScalarType.Float64, generator: g);
        var out1 = randn(new long[] { 15, 2 }, dtype: ScalarType.Float64, generator: g);
        var out2 = randn(new long[] { 15, 2 }, dtype: ScalarType.Float64, generator: g);
        var d1 = p.ToDenoised(out1, thetaT, logSnr, alpha, sigma);
        var d2 = p.ToDenoised(out2, thetaT, logSnr, alpha, sigma);
        var scaled = (d2 - d1) * p.LossScale(logSnr, alpha, sigma);
        Assert.True(scaled.abs().allclose(((out2 - out1)).abs(), rtol: 1e-9, atol: 1e-9), $"{name}: LossScale is not 1/|dD/doutput|");
    }

    [Fact]
    public void Options_LossSpaceFromBeforeItWasAParameterization_ReadsAsOne()
    {
        foreach (var (old, type) in new[] { ("0", typeof(NoiseParameterization)), ("1", typeof(VelocityParameterization)), ("2", typeof(FlowVelocityParameterization)),
                     ("3", typeof(EdmParameterization)), ("4", typeof(DataParameterization)), ("\"FlowVelocity\"", typeof(FlowVelocityParameterization)) })
            Assert.IsType(type, JsonSerializer.Deserialize<DiffusionEstimatorOptions>($$"""{ "Loss": {{old}} }""", Json)!.Loss);
        var now = DiffusionEstimatorOptions.Default with { Loss = new EdmParameterization(0.5) };
        var back = JsonSerializer.Deserialize<DiffusionEstimatorOptions>(JsonSerializer.Serialize(now, Json), Json)!;
        Assert.Equal(0.5, Assert.IsType<EdmParameterization>(back.Loss).SigmaData);
        var bad = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DiffusionEstimatorOptions>("""{ "Loss": 7 }""", Json));
        Assert.Contains("`Loss` = 7 is not a loss space", bad.Message);
    }

    [Theory]
    [MemberData(nameof(Weightings))]
    public void Weighting_RoundTripsAndItsNameIsTheRegisteredOne(string name)
    {
        var w = Registries.Weightings.Create(name);
        Assert.Equal(name, w.Name);
        var back = JsonSerializer.Deserialize<LossWeighting>(JsonSerializer.Serialize(w, Json), Json)!;
        Assert.Equal(w.GetType(), back.GetType());
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Network_BuildsTheShapeItPromisesAndRoundTrips(string name)
    {
        var spec = Registries.Networks.Create(name);
        var back = JsonSerializer.Deserialize<NetworkSpec>(JsonSerializer.Serialize(spec, Json), Json)!;
        Assert.Equal(spec, back);
        using var g = new Generator(1);
        using var network = spec.Create(3, 2, g);
        using var scope = NewDisposeScope();
        var output = network.forward(randn(5, 3, generator: g), zeros(5, 1), randn(5, 2, generator: g));
        Assert.Equal(new long[] { 5, 3 }, output.shape);
        Assert.True(output.isfinite().all().item<bool>());
    }

    [Fact]
    public void Options_FromBeforeNetworksHadANames_LoadAsAResidualMlp()
    {
        var old = """{ "Network": { "Width": 64, "Blocks": 2, "Dropout": 0.05, "FourierFeatures": 32, "FourierScale": 30 }, "Schedule": { "schedule": "edm", "Options": null } }""";
        var options = JsonSerializer.Deserialize<DiffusionEstimatorOptions>(old, Json)!;
        var network = Assert.IsType<NetworkOptions>(options.Network);
        Assert.Equal(64, network.Width);
        Assert.IsType<EdmSchedule>(options.Schedule);
    }

    [Fact]
    public void Registry_UnknownDuplicateAndUnregistered_AreRefusedWithTheNames()
    {
        var unknown = Assert.Throws<ArgumentException>(() => Registries.Samplers.Get("leapfrog"));
        Assert.Contains("Unknown sampler 'leapfrog'; valid: heun, euler", unknown.Message);
        var duplicate = Assert.Throws<ArgumentException>(() => Registries.Schedules.Register("EDM", () => new EdmSchedule(), "again"));
        Assert.Contains("already registered", duplicate.Message);
        var unregistered = Assert.Throws<InvalidOperationException>(() => JsonSerializer.Serialize<INoiseSchedule>(new UnregisteredSchedule(), Json));
        Assert.Contains("is not registered, so it cannot be saved", unregistered.Message);
        var missing = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<INoiseSchedule>("""{ "schedule": "nope" }""", Json));
        Assert.Contains("Unknown schedule 'nope'; registered: edm", missing.Message);
    }

    [Fact]
    public void UserScheduleAndNetwork_TrainSaveLoadAndSample()
    {
        UserTypes.Register();
        var options = DiffusionEstimatorOptions.Default with { Schedule = new LinearLogSnrSchedule(-9, 9), Network = new TinyMlpSpec(24) };
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 1000, new Generator(5));
        using var estimator = new DiffusionPosteriorEstimator(2, 2, options);
        var result = estimator.Train(data, TrainingOptions.Default with { Epochs = 3, BatchSize = 100 });
        Assert.True(double.IsFinite(result.BestValidationLoss));
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-user-{Guid.NewGuid():N}.sbis");
        estimator.Save(path);
        using var loaded = DiffusionPosteriorEstimator.Load(path);
        File.Delete(path);
        var schedule = Assert.IsType<LinearLogSnrSchedule>(loaded.Schedule);
        Assert.Equal(-9, schedule.Min);
        Assert.Equal(new TinyMlpSpec(24), loaded.Options.Network);
        var sampling = SamplingOptions.Default with { Sampler = new HeunSampler(10), Seed = 4 };
        using var a = estimator.Sample(new[] { 0.3, -0.2 }, 200, sampling);
        using var b = loaded.Sample(new[] { 0.3, -0.2 }, 200, sampling);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.True(a.isfinite().all().item<bool>());
    }

    private sealed class UnregisteredSchedule() : LogSnrSchedule(VarianceForm.Preserving)
    {
        public override double LogSnr(double t) => 5 - 10 * t;
        public override double LogSnrDerivative(double t) => -10;
        protected override Tensor LogSnr(Tensor t) => throw new NotSupportedException();
    }
}
