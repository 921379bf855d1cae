using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Networks;
using SbiSharp.Plotting;
using SbiSharp.States;
using SbiSharp.Torch;
using SbiSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Bench;

/// <summary>
/// A learned prior of a physical field (x the state, y the observation): Kolmogorov-flow vorticity snapshots, a U-Net diffusion prior trained on them,
/// and zero-shot MMPS posteriors under (a) 4× coarse-graining and (b) 5 % sparse sensors, each with noise of 0.1 data sd, over held-out (truth, y) pairs
/// from other trajectories; next to the exact posterior of the best Gaussian prior (the training snapshots' own mean and covariance). Per method: per-pixel
/// coverage of central 50 % and 90 % intervals (ranks of the truth among 19 draws: exactly 0.5 and 0.9 when calibrated), χ² of y − A x per observed value
/// over σ², RMSE of the posterior mean to the truth (data sds), and the draws' radial spectrum over the truths' (rms of log₁₀ ratio). Writes fields.npy,
/// prior.sbis, results.json, results.md and kolmogorov.png.
/// </summary>
internal static class KolmogorovBench
{
    private const int Draws = 19;

    public static int Run(string outDir, int size, double trainMinutes, int pairs, int trajectories, int snapshotsPerTrajectory, int unetWidth)
    {
        Directory.CreateDirectory(outDir);
        var flowOptions = KolmogorovFlowOptions.Default with { Size = size };
        using var flow = new KolmogorovFlow(flowOptions);
        var clock = Stopwatch.StartNew();
        using var train = flow.Snapshots(trajectories, snapshotsPerTrajectory, seed: 1);
        using var test = flow.Snapshots(pairs, 1, seed: 2);
        var simulateSeconds = clock.Elapsed.TotalSeconds;
        NpyFile.Write(Path.Combine(outDir, "fields.npy"), train);
        Console.WriteLine($"simulated {train.shape[0]} + {pairs} snapshots {size}×{size} in {simulateSeconds:F0} s");

        var spec = UNetSpec.Default with { Width = unetWidth };
        using var prior = new DiffusionPrior(new[] { 1, size, size }, DiffusionEstimatorOptions.Default with { Network = spec });
        clock.Restart();
        var training = prior.Train(train, TrainingOptions.Default with { BatchSize = 64, LearningRate = 1e-3, TimeLimit = TimeSpan.FromMinutes(trainMinutes), WarmupSteps = 200 },
            new Progress<TrainingProgress>(p => { if (p.Epoch % 5 == 0) Console.WriteLine($"  epoch {p.Epoch}: step {p.Step}, loss {p.Loss:F4}, validation {p.ValidationLoss:F4}, {p.StepsPerSecond:F1} steps/s"); }));
        var trainSeconds = clock.Elapsed.TotalSeconds;
        prior.Save(Path.Combine(outDir, "prior.sbis"));
        Console.WriteLine($"trained {prior.ParameterCount} weights for {training.Steps} steps in {trainSeconds:F0} s (best validation {training.BestValidationLoss:F4}, {training.StopReason})");

        using var gaussian = EmpiricalGaussianPrior.Fit(train);
        double dataSd;
        using (var sd = train.std()) dataSd = sd.item<float>();
        var noiseVariance = Math.Pow(0.1 * dataSd, 2);
        var operators = new (string Name, ILinearOperator Op)[]
        {
            ("coarse ×4", new AveragePooling(size, size, 4)),
            ("sparse 5 %", PixelMask.Random(size * size, 0.05, seed: 3)),
        };
        var rows = new List<Row>();
        var truthSpectrum = RadialSpectrum.Of(test, size, size);
        var panels = new List<(string, double[,])>();
        foreach (var (name, op) in operators)
        {
            var diffusion = new Accumulator(size);
            var exact = new Accumulator(size);
            for (var p = 0; p < pairs; p++)
            {
                using var scope = NewDisposeScope();
                var truth = test[p].reshape(-1).to(ScalarType.Float64);
                var values = truth.data<double>().ToArray();
                var y = new ObservationSet(LinearGaussianObservation.Simulate(op, values, noiseVariance, seed: 100 + p));
                clock.Restart();
                var draws = prior.SamplePosterior(y, Draws, null, SamplingOptions.Default with { Seed = p }).reshape(Draws, -1).to(ScalarType.Float64);
                diffusion.Seconds += clock.Elapsed.TotalSeconds;
                clock.Restart();
                using var generator = new Generator((ulong)(1000 + p));
                var baseline = gaussian.PosteriorSample(y, Draws, generator);
                exact.Seconds += clock.Elapsed.TotalSeconds;
                diffusion.Add(draws, truth, y, noiseVariance, dataSd);
                exact.Add(baseline, truth, y, noiseVariance, dataSd);
                if (p == 0)
                {
                    panels.Add(($"truth ({name})", Grid(truth, size)));
                    panels.Add(("diffusion mean", Grid(draws.mean(new long[] { 0 }), size)));
                    panels.Add(("diffusion draw", Grid(draws[0], size)));
                    panels.Add(("Gaussian mean", Grid(baseline.mean(new long[] { 0 }), size)));
                    panels.Add(("Gaussian draw", Grid(baseline[0], size)));
                }
                if ((p + 1) % 10 == 0) Console.WriteLine($"  {name}: {p + 1}/{pairs} pairs, diffusion {diffusion.Seconds / (p + 1):F1} s per pair");
            }
            rows.Add(diffusion.Row(name, "diffusion prior (MMPS-3)", truthSpectrum));
            rows.Add(exact.Row(name, "Gaussian prior (exact posterior)", truthSpectrum));
            foreach (var r in rows.TakeLast(2)) Console.WriteLine(r);
        }
        FieldPlot.Save(Path.Combine(outDir, "kolmogorov.png"), panels, 5);

        var result = new
        {
            size, trajectories, snapshotsPerTrajectory, pairs, draws = Draws, noiseSd = 0.1 * dataSd, dataSd, unetWidth,
            parameters = prior.ParameterCount, trainSteps = training.Steps, stopReason = training.StopReason, trainSeconds, simulateSeconds, bestValidationLoss = training.BestValidationLoss,
            flow = flowOptions, rows,
        };
        File.WriteAllText(Path.Combine(outDir, "results.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Kolmogorov flow {size}×{size} (Re {flowOptions.Reynolds:G}, k {flowOptions.ForcingWavenumber}): {train.shape[0]} training snapshots from {trajectories} trajectories, " +
            $"U-Net width {unetWidth} ({prior.ParameterCount:N0} weights) trained {training.Steps} steps in {trainSeconds / 60:F1} min; {pairs} held-out pairs × {Draws} draws; noise sd {0.1 * dataSd:F3} (0.1 data sd).");
        md.AppendLine();
        md.AppendLine("| observation | prior | coverage 50 % | coverage 90 % | χ² per datum | RMSE (data sd) | spectrum error (rms log₁₀) | s per pair |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Observation} | {r.Prior} | {r.Coverage50:F3} | {r.Coverage90:F3} | {r.ChiSquare:F2} | {r.Rmse:F3} | {r.SpectrumError:F3} | {r.SecondsPerPair:F2} |");
        File.WriteAllText(Path.Combine(outDir, "results.md"), md.ToString());
        Console.WriteLine(md);
        return 0;
    }

    private static double[,] Grid(Tensor flat, int size) => FieldPlot.Grid(flat, size, size);

    internal sealed record Row(string Observation, string Prior, double Coverage50, double Coverage90, double ChiSquare, double Rmse, double SpectrumError, double SecondsPerPair);

    private sealed class Accumulator(int size)
    {
        private double _in50, _in90, _pixels, _chi, _chiCount, _squared, _pairs;
        private readonly List<Tensor> _draws = new();

        public double Seconds { get; set; }

        public void Add(Tensor draws, Tensor truth, ObservationSet y, double noiseVariance, double dataSd)
        {
            using var scope = NewDisposeScope();
            // Rank of the truth among the draws, per pixel: 0 … Draws, uniform when calibrated.
            var rank = draws.lt(truth.unsqueeze(0)).to(ScalarType.Int64).sum(new long[] { 0 });
            foreach (var r in rank.data<long>())
            {
                if (r >= 1 && r <= Draws - 1) _in90++;
                if (r >= 5 && r <= Draws - 5) _in50++;
            }
            _pixels += truth.numel();
            var residual = y.Values(ScalarType.Float64) - y.Apply(draws);
            _chi += residual.Square().sum().item<double>() / noiseVariance;
            _chiCount += residual.numel();
            var error = (draws.mean(new long[] { 0 }) - truth).Div(dataSd);
            _squared += error.Square().mean().item<double>();
            _pairs++;
            _draws.Add(draws.to(ScalarType.Float32).DetachFromDisposeScope());
        }

        public Row Row(string observation, string prior, double[] truthSpectrum)
        {
            using var all = cat(_draws, 0);
            var spectrum = RadialSpectrum.Of(all, size, size);
            foreach (var d in _draws) d.Dispose();
            _draws.Clear();
            var logRatios = Enumerable.Range(1, spectrum.Length - 1).Select(k => Math.Log10(spectrum[k] / truthSpectrum[k])).ToArray();
            return new Row(observation, prior, _in50 / _pixels, _in90 / _pixels, _chi / _chiCount, Math.Sqrt(_squared / _pairs),
                Math.Sqrt(logRatios.Average(v => v * v)), Seconds / _pairs);
        }
    }
}
