#:project ../src/SbiSharp/SbiSharp.csproj
#:package TorchSharp-cpu
// Amortized posterior for sbibm's gaussian_linear in a dozen lines: simulate, train, sample, compare with the exact posterior.
// Run from the repository root:  dotnet run samples/gaussian_linear.cs
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;

var task = GaussianLinearTask.Create();                                   // θ ~ N(0, 0.1 I), x ~ N(θ, 0.1 I)
using var data = InMemoryDataset.Simulate(task.Joint(), 20_000, new Generator(1));
using var estimator = new DiffusionPosteriorEstimator(task.ParameterDimension, task.ObservationDimension);
var result = estimator.Train(data, TrainingOptions.Default with { Epochs = 40 });
Console.WriteLine($"trained {result.Steps} steps in {result.Seconds:F0} s");

var x = Enumerable.Range(0, 10).Select(i => 0.1 * i - 0.5).ToArray();
using var samples = estimator.Sample(x, 5_000);                           // (5000, 10)
var mean = samples.mean(new long[] { 0 }).data<float>().ToArray();
var sd = samples.std(0).data<float>().ToArray();
for (int j = 0; j < 10; j++)
    Console.WriteLine($"θ{j + 1}: mean {mean[j]:F3} (exact {x[j] / 2:F3}), sd {sd[j]:F3} (exact {Math.Sqrt(0.05):F3})");
