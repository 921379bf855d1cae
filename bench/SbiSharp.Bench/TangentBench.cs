using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Networks;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Bench;

/// <summary>
/// The sCM tangent dF/dt without forward-mode AD: central finite difference against the double-backward trick. Trains the stable consistency model on
/// two_moons (10,000 simulations, the library's defaults) for STEPS steps with each, and reports steps per second (same run, same data), then, on the
/// trained network, how far the finite-difference loss is from the double-backward one over 20 batches and how that changes with the step h.
/// Writes tangent.json and tangent.md.
/// </summary>
internal static class TangentBench
{
    public static int Run(string outDir, int steps)
    {
        Directory.CreateDirectory(outDir);
        var task = BuiltInTasks.Create("two_moons");
        using var data = InMemoryDataset.Simulate(task.Joint(), 10_000, new Generator(1));
        var rows = new List<object>();
        var md = new StringBuilder();
        md.AppendLine(FormattableString.Invariant($"sCM training on two_moons (10,000 simulations, batch 256, default network), {steps} steps per tangent method, measured in one run on {Environment.ProcessorCount} cores."));
        md.AppendLine();
        md.AppendLine("| tangent | steps / s | relative to finite difference |");
        md.AppendLine("|---|---|---|");
        double? reference = null;
        DiffusionPosteriorEstimator? trained = null;
        foreach (var method in new[] { TangentMethod.FiniteDifference, TangentMethod.DoubleBackward })
        {
            var options = DiffusionDesigns.Apply(DiffusionEstimatorOptions.Default, "stable-consistency") with { Objective = StableConsistencySpec.Default with { Tangent = method } };
            var estimator = new DiffusionPosteriorEstimator(task.Prior, task.ObservationDimension, options, task.ParameterNames);
            var result = estimator.Train(data, TrainingOptions.Default with { MaxSteps = steps });
            reference ??= result.StepsPerSecond;
            rows.Add(new { tangent = method.ToString(), steps = result.Steps, steps_per_second = result.StepsPerSecond, ratio = result.StepsPerSecond / reference.Value });
            md.AppendLine(FormattableString.Invariant($"| {method} | {result.StepsPerSecond:F1} | {result.StepsPerSecond / reference.Value:F2} |"));
            Console.WriteLine(FormattableString.Invariant($"{method}: {result.StepsPerSecond:F1} steps/s"));
            if (trained is null) trained = estimator; else estimator.Dispose();
        }
        // Agreement of the two tangents on the trained network (the EMA module, eval mode), 20 batches of 256, for several h.
        using (trained)
        {
            var network = (AdaptiveWeightNetwork)trained!.Denoiser.Network;
            var options = trained.Options;
            var agreement = new List<object>();
            md.AppendLine();
            md.AppendLine("Loss of the finite difference relative to double backward on the trained network (20 batches of 256; median and largest |ΔL|/|L|):");
            md.AppendLine();
            md.AppendLine("| h | median | largest |");
            md.AppendLine("|---|---|---|");
            foreach (var h in new[] { 1e-2, 1e-3, 1e-4 })
            {
                var errors = new List<double>();
                for (int b = 0; b < 20; b++)
                {
                    using var scope = NewDisposeScope();
                    using var g = new Generator((ulong)(100 + b));
                    var index = randint(0, 9_000, new long[] { 256 }, generator: g);
                    var theta = trained.ThetaStandardizer.Forward(trained.Transform.Forward(data.Theta.index_select(0, index)));
                    var x = trained.XStandardizer.Forward(data.X.index_select(0, index));
                    double Loss(TangentMethod m)
                    {
                        var objective = (StableConsistencyObjective)(StableConsistencySpec.Default with { Tangent = m, FiniteDifferenceStep = h }).Create(options);
                        objective.SetStep(null, 1);
                        using var gen = new Generator((ulong)(200 + b));
                        return objective.Loss(network, theta, x, gen).item<float>();
                    }
                    var exact = Loss(TangentMethod.DoubleBackward);
                    errors.Add(Math.Abs(Loss(TangentMethod.FiniteDifference) - exact) / Math.Abs(exact));
                }
                errors.Sort();
                agreement.Add(new { h, median = errors[errors.Count / 2], largest = errors[^1] });
                md.AppendLine(FormattableString.Invariant($"| {h:G1} | {errors[errors.Count / 2]:G2} | {errors[^1]:G2} |"));
            }
            AtomicFile.WriteAllText(Path.Combine(outDir, "tangent.json"), JsonSerializer.Serialize(new
            {
                date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), machine = $"{Environment.ProcessorCount} cores", steps, rows, agreement,
            }, new JsonSerializerOptions { WriteIndented = true }));
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "tangent.md"), md.ToString());
        return 0;
    }
}
