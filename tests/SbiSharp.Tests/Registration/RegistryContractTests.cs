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
    public static TheoryData<string> Embeddings => Of(Registries.Embeddings);
    public static TheoryData<string> GuidanceKinds => Of(Registries.Guidance);

    /// <summary>A command-line argument for each built-in guidance kind (a new built-in kind must add one: the test below fails without it).</summary>
    private static readonly Dictionary<string, string> GuidanceExamples = new() { ["fix"] = "1=0.25", ["bound"] = "2>=1", ["classifier-free"] = "1" };

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
        var d = spec.FixedParameterDimension ?? 3;
        using var network = spec.Create(d, 2, g);
        using var scope = NewDisposeScope();
        var output = network.forward(randn(5, d, generator: g), zeros(5, 1), randn(5, 2, generator: g));
        Assert.Equal(new long[] { 5, d }, output.shape);
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
        Assert.Contains("Unknown sampler 'leapfrog'; valid: dpm-solver++, heun, euler", unknown.Message);
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

    [Fact]
    public void UserEmbedding_TrainsEndToEnd_SavesLoadsAndSamples()
    {
        UserTypes.Register();
        // Condition dropout too: the presence flag bypasses the embedding.
        var options = DiffusionEstimatorOptions.Default with { Network = new TinyMlpSpec(24), Embedding = new ProjectionEmbeddingSpec(3), ConditionDropout = 0.1 };
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 1000, new Generator(5));
        using var estimator = new DiffusionPosteriorEstimator(2, 2, options);
        var embedded = Assert.IsType<EmbeddedNetwork>(estimator.Denoiser.Network);
        Assert.Equal(3 + 1, embedded.Network.ObservationDimension);
        using var before = ((ProjectionEmbedding)embedded.Embedding).Weight.detach().clone();
        var result = estimator.Train(data, TrainingOptions.Default with { Epochs = 3, BatchSize = 100 });
        Assert.True(double.IsFinite(result.BestValidationLoss));
        // Trained end to end: the sampling (EMA) copy of the embedding moved away from its initial weights.
        Assert.False(((ProjectionEmbedding)embedded.Embedding).Weight.allclose(before, rtol: 0, atol: 1e-4));
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-embed-{Guid.NewGuid():N}.sbis");
        estimator.Save(path);
        using var loaded = DiffusionPosteriorEstimator.Load(path);
        File.Delete(path);
        Assert.Equal(new ProjectionEmbeddingSpec(3), loaded.Options.Embedding);
        var sampling = SamplingOptions.Default with { Sampler = new HeunSampler(10), Seed = 4 };
        using var a = estimator.Sample(new[] { 0.3, -0.2 }, 200, sampling);
        using var b = loaded.Sample(new[] { 0.3, -0.2 }, 200, sampling);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.True(a.isfinite().all().item<bool>());
        // The identity embedding (the default) adds nothing: the network is the options' network itself.
        using var plain = new DiffusionPosteriorEstimator(2, 2, options with { Embedding = IdentityEmbeddingSpec.Default });
        Assert.IsType<TinyMlp>(plain.Denoiser.Network);
    }

    [Fact]
    public void UserObjective_TrainsSavesAndLoads_AndWhatNeedsAScoreIsRefused()
    {
        UserTypes.Register();
        var small = DiffusionEstimatorOptions.Default with { Network = new TinyMlpSpec(24) };
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 1000, new Generator(5));
        var training = TrainingOptions.Default with { Epochs = 2, BatchSize = 100 };
        using var estimator = new DiffusionPosteriorEstimator(2, 2, small with { Objective = new DataLossObjectiveSpec() });
        var result = estimator.Train(data, training);
        using (var reference = new DiffusionPosteriorEstimator(2, 2, small))
            Assert.NotEqual(reference.Train(data, training).Losses[0], result.Losses[0]); // the family's own loss was minimized
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-objective-{Guid.NewGuid():N}.sbis");
        estimator.Save(path);
        using var loaded = DiffusionPosteriorEstimator.Load(path);
        File.Delete(path);
        Assert.IsType<DataLossObjectiveSpec>(loaded.Options.Objective);
        var sampling = SamplingOptions.Default with { Sampler = new ConsistencySampler(10), Seed = 4 };
        using var a = estimator.Sample(new[] { 0.3, -0.2 }, 100, sampling);
        using var b = loaded.Sample(new[] { 0.3, -0.2 }, 100, sampling);
        Assert.True(a.eq(b).all().item<bool>());
        using var theta = zeros(3, 2);
        using var x = zeros(1, 2);
        var logProb = Assert.Throws<InvalidOperationException>(() => loaded.LogProb(theta, x));
        Assert.Contains("objective 'user-data-loss' does not learn one", logProb.Message);
        Assert.Throws<InvalidOperationException>(() => loaded.SampleComposed(zeros(2, 2), 10, options: sampling));
        Assert.Throws<InvalidOperationException>(() => loaded.Sample(x, 10, sampling, guidance: new[] { new SbiSharp.Guidance.InpaintingGuidance(new[] { 0 }, new[] { 0.1 }) }));
        // Without a score, the probability-flow samplers are refused too.
        Assert.Contains("integrates the probability flow", Assert.Throws<ArgumentException>(() => loaded.Sample(x, 10, sampling with { Sampler = new HeunSampler(10) })).Message);
    }

    [Fact]
    public void Options_FromBeforeObjectivesHadANames_TrainByDenoising()
    {
        var options = JsonSerializer.Deserialize<DiffusionEstimatorOptions>("""{ "Schedule": { "schedule": "edm", "Options": null } }""", Json)!;
        Assert.IsType<DenoisingObjectiveSpec>(options.Objective);
        Assert.Contains("\"objective\": \"denoising\"", JsonSerializer.Serialize(DiffusionEstimatorOptions.Default, Json));
    }

    [Theory]
    [MemberData(nameof(GuidanceKinds))]
    public void Guidance_FromItsCommandLineText_ChangesExactGaussianDrawsAsItPromises(string name)
    {
        var entry = Registries.Guidance.Get(name);
        if (!GuidanceExamples.TryGetValue(name, out var example))
        {
            Assert.True(entry.Type.Assembly != typeof(Registries).Assembly, $"built-in guidance '{name}' has no example argument in this test");
            return;
        }
        var guidance = entry.Create(new CreationArguments(Argument: example, ParameterDimension: 2));
        // Posterior N(0.5·x, 0.5) for x = 0 with prior N(0, 1) as the unconditional mode; identity standardization.
        var schedule = new EdmSchedule();
        var posterior = new GaussianPosteriorDenoiser(schedule, 2, 0, 1, 1);
        var prior = new GaussianDenoiser(schedule, new[] { 0.0, 0.0 }, new[,] { { 1.0, 0 }, { 0, 1.0 } });
        var context = new SbiSharp.Guidance.GuidanceContext(SbiSharp.Data.Standardizer.Identity(2), prior);
        var sampler = new HeunSampler(30);
        using var x = zeros(4000, 2);
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        using var plain = sampler.Sample(posterior, x, g1);
        using var guidedRaw = sampler.Sample(guidance.Apply(posterior, context), x, g2);
        using var guided = guidance.Finish(guidedRaw.unsqueeze(0)).squeeze(0);
        Assert.True(guided.isfinite().all().item<bool>());
        using var scope = NewDisposeScope();
        switch (name)
        {
            case "fix": // θ₁ = 0.25 exactly; θ₂ still from the posterior (sd √0.5)
                Assert.InRange(guided.select(1, 0).min().item<float>(), 0.25f, 0.25f);
                Assert.InRange(guided.select(1, 0).max().item<float>(), 0.25f, 0.25f);
                Assert.InRange(guided.select(1, 1).std().item<float>(), 0.6, 0.8);
                break;
            case "bound": // θ₂ ≥ 1 pushes θ₂ up and leaves θ₁ alone
                Assert.True(guided.select(1, 1).mean().item<float>() > plain.select(1, 1).mean().item<float>() + 0.3);
                Assert.InRange(guided.select(1, 0).mean().item<float>(), -0.1, 0.1);
                break;
            case "classifier-free": // w = 1 sharpens: at t = 0 the guided score is that of N(0, 1/3), and the ODE path (not a tempered posterior at t > 0) lands narrower still
                Assert.InRange(plain.select(1, 0).var().item<float>(), 0.46, 0.54);
                Assert.InRange(guided.select(1, 0).var().item<float>(), 0.15, 0.36);
                Assert.InRange(guided.select(1, 0).mean().item<float>(), -0.05, 0.05);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Embeddings))]
    public void Embedding_MapsToItsOutputDimensionAndRoundTrips(string name)
    {
        var spec = Registries.Embeddings.Create(name);
        var back = JsonSerializer.Deserialize<EmbeddingSpec>(JsonSerializer.Serialize(spec, Json), Json)!;
        Assert.Equal(spec, back);
        using var g = new Generator(1);
        using var embedding = spec.Create(5, g);
        Assert.Equal(5, embedding.InputDimension);
        using var scope = NewDisposeScope();
        var x = randn(7, 5, generator: g);
        var summary = embedding.forward(x);
        Assert.Equal(new long[] { 7, embedding.OutputDimension }, summary.shape);
        Assert.True(summary.isfinite().all().item<bool>());
        // Rows are summarized independently: the summary of one row does not depend on the others in the batch.
        Assert.True(embedding.forward(x.narrow(0, 2, 1)).allclose(summary.narrow(0, 2, 1), rtol: 1e-5, atol: 1e-6));
    }

    private sealed class UnregisteredSchedule() : LogSnrSchedule(VarianceForm.Preserving)
    {
        public override double LogSnr(double t) => 5 - 10 * t;
        public override double LogSnrDerivative(double t) => -10;
        protected override Tensor LogSnr(Tensor t) => throw new NotSupportedException();
    }
}
