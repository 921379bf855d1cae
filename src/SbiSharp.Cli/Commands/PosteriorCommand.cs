using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using SbiSharp.IO;
using SbiSharp.Registration;
using SbiSharp.States;
using SbiSharp.Torch;
using Spectre.Console;
using static TorchSharp.torch;

namespace SbiSharp.Cli.Commands;

/// <summary>`sbisharp posterior`: zero-shot posterior draws of a state x from a trained prior and a linear-Gaussian observation y = A x + η.</summary>
internal static class PosteriorCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var priorFile = new Option<string>("--prior") { Description = "A prior trained by `sbisharp prior train`", Required = true };
        var observation = new Option<string>("--observation") { Description = "y as .npy (any shape holding the operator's M outputs; a mask's values in the mask's row-major order)", Required = true };
        var op = new Option<string>("--operator") { Description = $"The observation operator A: {OperatorOption.Help}", Required = true };
        var noise = new Option<double>("--noise") { Description = "Standard deviation of the observation noise η (Σ_y = noise² I), > 0", Required = true };
        var count = new Option<int>("--num-samples") { Description = "Posterior draws", DefaultValueFactory = _ => 16 };
        var output = new Option<string>("--out") { Description = "Folder for samples.npy, mean.npy, std.npy, posterior.png and summary.json", DefaultValueFactory = _ => "posterior" };
        var truth = new Option<string?>("--truth") { Description = "The true state as .npy (of the prior's shape), for the figure, RMSE and coverage" };
        var method = new Option<string>("--method") { Description = $"Zero-shot method: {string.Join(" | ", Registries.ZeroShotMethods.Entries.Select(e => $"{e.Name} ({e.Description})"))}", DefaultValueFactory = _ => Registries.ZeroShotMethods.Names[0] };
        var cg = new Option<int>("--cg-iterations") { Description = "MMPS: conjugate-gradient iterations per network call", DefaultValueFactory = _ => MmpsDenoiser.DefaultCgIterations };
        var stepSize = new Option<double>("--step-size") { Description = "DPS: the step size ζ on the likelihood score", DefaultValueFactory = _ => DpsMethod.DefaultStepSize };
        var seed = new Option<long>("--seed") { Description = "Random seed of the draws", DefaultValueFactory = _ => 0 };
        var sampling = new SamplingCliOptions();
        var command = new Command("posterior", "Draw a state x from p(x | y) with a trained prior and an observation applied at sampling time (MMPS, DPS, ΠGDM); no retraining.");
        foreach (var o in new Option[] { priorFile, observation, op, noise, count, output, truth, method, cg, stepSize, seed }) command.Options.Add(o);
        sampling.AddTo(command);
        command.SetAction(result => CliErrors.Run(result.GetValue(verbose), () =>
        {
            var n = result.GetValue(count);
            if (n <= 0) throw new ArgumentException($"--num-samples must be positive; got {n}.");
            var sigma = result.GetValue(noise);
            if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentException($"--noise must be a positive standard deviation; got {sigma}.");
            var iterations = result.GetValue(cg);
            if (iterations <= 0) throw new ArgumentException($"--cg-iterations must be positive; got {iterations}.");
            var zeta = result.GetValue(stepSize);
            if (!(zeta > 0) || !double.IsFinite(zeta)) throw new ArgumentException($"--step-size must be positive; got {zeta}.");
            var name = result.GetValue(method)!;
            if (Registries.ZeroShotMethods.Find(name) is null)
                throw new ArgumentException($"--method '{name}' is unknown; valid: {string.Join(", ", Registries.ZeroShotMethods.Names)}.");
            var zeroShot = Registries.ZeroShotMethods.Create(name, new CreationArguments(Steps: iterations, Argument: zeta.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            sampling.Check(result);
            var folder = AtomicFile.CheckWritableFolder(result.GetValue(output)!, "--out");
            using var prior = DiffusionPrior.Load(result.GetValue(priorFile)!);
            var a = OperatorOption.Parse(result.GetValue(op)!, prior.Shape);
            var yFile = result.GetValue(observation)!;
            double[] y;
            using (var yt = NpyFile.Read(yFile))
            {
                if (yt.numel() != a.OutputDimension)
                    throw new ArgumentException($"--observation '{yFile}' holds {yt.numel()} values (shape ({string.Join(", ", yt.shape)})); the operator '{a.Name}' has {a.OutputDimension} outputs.");
                using var flat = yt.reshape(-1).to(ScalarType.Float64);
                y = flat.data<double>().ToArray();
            }
            var observations = new ObservationSet(new LinearGaussianObservation(a, y, sigma * sigma));
            double[]? truthValues = null;
            if (result.GetValue(truth) is { } truthFile)
            {
                using var t = NpyFile.Read(truthFile);
                if (t.numel() != prior.Dimension)
                    throw new ArgumentException($"--truth '{truthFile}' holds {t.numel()} values; the prior's states ({string.Join(", ", prior.Shape)}) have {prior.Dimension}.");
                using var flat = t.reshape(-1).to(ScalarType.Float64);
                truthValues = flat.data<double>().ToArray();
            }
            var options = sampling.Read(result, result.GetValue(seed), prior.Options.Objective);
            var clock = Stopwatch.StartNew();
            using var draws = ConsoleProgress.Run("Sampling posterior", 1.0, update => prior.SamplePosterior(observations, n, zeroShot, options, new SynchronousProgress<double>(f => update(f, null))));
            var seconds = clock.Elapsed.TotalSeconds;
            using var scope = NewDisposeScope();
            var mean = draws.mean(new long[] { 0 });
            var std = n > 1 ? draws.std(0) : zeros_like(mean);
            NpyFile.Write(Path.Combine(folder, "samples.npy"), draws);
            NpyFile.Write(Path.Combine(folder, "mean.npy"), mean);
            NpyFile.Write(Path.Combine(folder, "std.npy"), std);
            var summary = Summary(prior, observations, draws, truthValues, name, options.Sampler!.Name, seconds);
            AtomicFile.WriteAllText(Path.Combine(folder, "summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
            var figure = PosteriorFigure.Save(Path.Combine(folder, "posterior.png"), prior.Shape, a, y, draws, mean, std, truthValues);
            AnsiConsole.MarkupLine($"{n} draws of a ({string.Join(", ", prior.Shape)}) state with {Markup.Escape(name)} in {seconds:F1} s ({seconds / n:F2} s per draw)"
                + (summary.Rmse is { } rmse ? $"; RMSE to the truth {rmse:G4}, 90 % interval coverage {summary.Coverage90:P0}" : "")
                + $"; wrote [blue]{Markup.Escape(folder)}[/]" + (figure ? "" : " (no figure: it draws single-channel 2-D fields)"));
            return 0;
        }));
        return command;
    }

    /// <summary>What the run measured, for summary.json.</summary>
    internal sealed record PosteriorSummary(string Method, string Sampler, int Draws, double Seconds, double SecondsPerDraw, double ResidualChiSquarePerValue, double? Rmse, double? Coverage90);

    private static PosteriorSummary Summary(DiffusionPrior prior, ObservationSet observations, Tensor draws, double[]? truth, string method, string sampler, double seconds)
    {
        using var scope = NewDisposeScope();
        var n = (int)draws.shape[0];
        var flat = draws.reshape(n, -1).to(ScalarType.Float64);
        // χ² of y − A x per observed value for the draws: about 1 when the draws explain the data to within the noise.
        var residual = observations.Values(ScalarType.Float64) - observations.Apply(flat);
        var chi2 = (residual.Square() / observations.NoiseVariances(ScalarType.Float64)).mean().item<double>();
        double? rmse = null, coverage = null;
        if (truth is not null)
        {
            var t = tensor(truth, new long[] { 1, truth.Length }, dtype: ScalarType.Float64);
            rmse = (flat.mean(new long[] { 0 }, keepdim: true) - t).Square().mean().sqrt().item<double>();
            if (n >= 10)
            {
                var sorted = flat.sort(0).Values;
                var lo = sorted[(int)Math.Floor(0.05 * (n - 1))];
                var hi = sorted[(int)Math.Ceiling(0.95 * (n - 1))];
                coverage = (t.squeeze(0).ge(lo).logical_and(t.squeeze(0).le(hi))).to(ScalarType.Float64).mean().item<double>();
            }
        }
        return new PosteriorSummary(method, sampler, n, seconds, seconds / n, chi2, rmse, coverage);
    }
}
