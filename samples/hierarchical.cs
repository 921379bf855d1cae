#:project ../src/SbiSharp/SbiSharp.csproj
#:package TorchSharp-cpu
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property PublishAot=false
// A hierarchical model by composition: train on single groups, infer the global parameter from many groups, then the locals.
// Run from the repository root:  dotnet run samples/hierarchical.cs [OUT_DIR]
//
// Model: μ ~ N(0, 1) (global); θ_j | μ ~ N(μ, τ²), τ = 0.5 (one local per group); y_jk | θ_j ~ N(θ_j, 1), k = 1..10.
// Two amortized estimators, both trained on simulations of ONE group:
//   global  p(μ | y_j)         — composed over J groups (GAUSS) into p(μ | y_1..y_J), no retraining for J;
//   local   p(θ_j | y_j, μ)    — sampled for every group given each global draw (exact: θ_j ⊥ other groups given μ, y_j).
// Checked against a long random-walk Metropolis chain on p(μ, θ_1..θ_J | y) (and the conjugate answer for μ).
using System.Diagnostics;
using System.Text.Json;
using SbiSharp.Composition;
using SbiSharp.Data;
using SbiSharp.Diagnostics;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Priors;
using SbiSharp.Sampling;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.IO;

const int K = 10, J = 8, Draws = 4000;
const double Tau = 0.5;
var outDir = args.Length > 0 ? args[0] : "hierarchical-out";
Directory.CreateDirectory(outDir);
var clock = Stopwatch.StartNew();

// Single-group simulations: μ, θ_j, y_j.
(Tensor Mu, Tensor Local, Tensor Y) SimulateGroups(long n, Generator g)
{
    var mu = randn(new[] { n, 1L }, generator: g, dtype: ScalarType.Float32);
    var local = mu + Tau * randn(new[] { n, 1L }, generator: g, dtype: ScalarType.Float32);
    var y = local + randn(new[] { n, (long)K }, generator: g, dtype: ScalarType.Float32);
    return (mu, local, y);
}
using var generator = new Generator(1);
var (mu, local, y) = SimulateGroups(30_000, generator);
var network = NetworkOptions.Default with { Width = 128, Blocks = 3, Dropout = 0 };
var training = TrainingOptions.Default with { Epochs = 60, TimeLimit = TimeSpan.FromSeconds(90), Seed = 2 };
using var globalModel = new DiffusionPosteriorEstimator(1, K, DiffusionEstimatorOptions.Default with { Network = network }, new[] { "mu" });
using (var data = new InMemoryDataset(mu, y)) globalModel.Train(data, training);
using var localModel = new DiffusionPosteriorEstimator(1, K + 1, DiffusionEstimatorOptions.Default with { Network = network }, new[] { "theta_j" });
using (var data = new InMemoryDataset(local, cat(new[] { y, mu }, 1))) localModel.Train(data, training);
Console.WriteLine($"trained both estimators in {clock.Elapsed.TotalSeconds:F0} s");

// One data set of J groups, from μ* = 0.7.
using var dataGenerator = new Generator(11);
var trueMu = 0.7;
using var trueLocals = trueMu + Tau * randn(new[] { (long)J, 1L }, generator: dataGenerator);
using var groups = trueLocals + randn(new[] { (long)J, (long)K }, generator: dataGenerator);

// Global posterior by composing the J single-group posteriors; then the locals given each global draw.
clock.Restart();
var sampling = new SamplingOptions { Sampler = new HeunSampler(60), Seed = 5 };
using var muDraws = globalModel.SampleComposed(groups, Draws, CompositionOptions.Default, sampling, new DiagonalGaussianPrior(new[] { 0.0 }, new[] { 1.0 }));
using var condition = cat(new[] { groups.unsqueeze(0).expand(Draws, J, K), muDraws.unsqueeze(1).expand(Draws, J, 1) }, 2).reshape(Draws * J, K + 1);
using var localDraws = localModel.Sample(condition, 1, sampling).reshape(Draws, J);
using var amortized = cat(new[] { muDraws, localDraws }, 1).to(ScalarType.Float64);
var amortizedSeconds = clock.Elapsed.TotalSeconds;

// Reference: random-walk Metropolis on (μ, θ_1..θ_J).
var yValues = groups.to(ScalarType.Float64).data<double>().ToArray();
double LogPosterior(double[] t)
{
    double lp = -0.5 * t[0] * t[0];
    for (int j = 0; j < J; j++)
    {
        var d = t[j + 1] - t[0];
        lp += -0.5 * d * d / (Tau * Tau);
        for (int k = 0; k < K; k++)
        {
            var e = yValues[j * K + k] - t[j + 1];
            lp += -0.5 * e * e;
        }
    }
    return lp;
}
clock.Restart();
var chain = new RandomWalkMetropolis(LogPosterior, new RandomWalkMetropolisOptions { Draws = Draws, BurnIn = 50_000, Thin = 100, Seed = 3 })
    .Run(new double[J + 1]);
var mcmcSeconds = clock.Elapsed.TotalSeconds;
using var reference = tensor(chain.Draws.SelectMany(d => d).ToArray(), new long[] { Draws, J + 1 }, dtype: ScalarType.Float64);

// Conjugate check for μ: each group mean ȳ_j ~ N(μ, τ² + 1/K) given μ.
var groupMeans = groups.mean(new long[] { 1 }).to(ScalarType.Float64).data<double>().ToArray();
var v = Tau * Tau + 1.0 / K;
var exactVariance = 1 / (1 + J / v);
var exactMean = exactVariance * groupMeans.Sum() / v;

var names = new[] { "mu" }.Concat(Enumerable.Range(1, J).Select(j => $"theta_{j}")).ToArray();
var rows = names.Select((name, d) => new
{
    parameter = name,
    amortized_mean = amortized[.., d].mean().item<double>(),
    amortized_sd = amortized[.., d].std().item<double>(),
    mcmc_mean = reference[.., d].mean().item<double>(),
    mcmc_sd = reference[.., d].std().item<double>(),
}).ToArray();
var c2stGlobal = C2st.Score(reference.narrow(1, 0, 1).to(ScalarType.Float32), amortized.narrow(1, 0, 1).to(ScalarType.Float32)).Accuracy;
var c2stJoint = C2st.Score(reference.to(ScalarType.Float32), amortized.to(ScalarType.Float32)).Accuracy;
var summary = new
{
    model = "mu ~ N(0,1); theta_j ~ N(mu, 0.5^2); y_jk ~ N(theta_j, 1); J = 8 groups, K = 10 observations each",
    exact_mu = new { mean = exactMean, sd = Math.Sqrt(exactVariance) },
    parameters = rows,
    c2st_global = c2stGlobal,
    c2st_joint_9d = c2stJoint,
    amortized_seconds = amortizedSeconds,
    mcmc = new { seconds = mcmcSeconds, iterations = 50_000 + Draws * 100, acceptance = chain.AcceptanceRate },
};
AtomicFile.WriteAllText(Path.Combine(outDir, "summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"μ exact N({exactMean:F3}, {Math.Sqrt(exactVariance):F3}²)");
Console.WriteLine("parameter   amortized mean (sd)   MCMC mean (sd)");
foreach (var r in rows) Console.WriteLine($"{r.parameter,-10}  {r.amortized_mean,7:F3} ({r.amortized_sd:F3})      {r.mcmc_mean,7:F3} ({r.mcmc_sd:F3})");
Console.WriteLine($"C2ST amortized vs MCMC: μ {c2stGlobal:F3}, joint (9-D) {c2stJoint:F3}; amortized {amortizedSeconds:F1} s, MCMC {mcmcSeconds:F1} s (acceptance {chain.AcceptanceRate:P0})");
