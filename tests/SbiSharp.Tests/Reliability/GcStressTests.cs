using System.Diagnostics;
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Sampling;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Reliability;

/// <summary>Training and every sampler family while another thread forces full collections and finalizers in a loop: no native crash, no freed Scalar.</summary>
/// <remarks>Before every temporary Scalar was held (SBI001–SBI004), this is the situation that crashed five runs: a finalizer freeing a Scalar libtorch was still reading.</remarks>
[Collection(ForcedGcCollection.Name)]
public class GcStressTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void TrainAndSample_UnderForcedCollections_FinishAndStayFinite()
    {
        using var stop = new CancellationTokenSource();
        long collections = 0;
        var collector = new Thread(() =>
        {
            // Temporary Scalars die young: gen-0 collections with finalizers find them at once, and cost little, so they can run in a
            // tight loop; every 100th collection is a full, blocking one (those suspend the sampling thread, so not all of them).
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(Interlocked.Increment(ref collections) % 100 == 0 ? GC.MaxGeneration : 0);
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            using var generator = new Generator(7);
            using var data = InMemoryDataset.Simulate(BuiltInTasks.Create("two_moons").Joint(), 2_000, generator);
            var options = DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 32, Blocks = 2 } };
            using var estimator = new DiffusionPosteriorEstimator(data.ParameterDimension, data.ObservationDimension, options);
            var clock = Stopwatch.StartNew();
            estimator.Train(data, TrainingOptions.Default with { Epochs = 6, BatchSize = 128, TimeLimit = TimeSpan.FromSeconds(20) });
            foreach (var name in SamplerRegistryNames())
            {
                var sampler = SbiSharp.Cli.SamplerNames.Create(name, 8);
                using var draws = estimator.Sample(new[] { 0.0, 0.1 }, 200, SamplingOptions.Default with { Sampler = sampler, Seed = 1 });
                Assert.True(draws.isfinite().all().item<bool>(), name);
            }
            Assert.True(Interlocked.Read(ref collections) > 10, $"only {collections} forced collections ran in {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }

    private static IEnumerable<string> SamplerRegistryNames() => SbiSharp.Cli.SamplerNames.Valid;
}
