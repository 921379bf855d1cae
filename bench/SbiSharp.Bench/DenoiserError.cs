using System.Globalization;
using System.Text;
using System.Text.Json;
using SbiSharp.Denoising;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.Torch;
using SbiSharp.IO;

namespace SbiSharp.Bench;

/// <summary>
/// Where a trained denoiser is wrong: the design grid's small model for a few prediction × loss × weighting × schedule cases,
/// compared with the exact Gaussian-linear denoiser E[θ | θ_t, x] at fixed log-SNRs λ (θ_t drawn from the exact marginal for
/// observation (0.4, −0.3); standardized units). Reports the rms error of the denoised mean D and of the implied noise
/// ε̂ = (θ_t − αD)/σ per λ. Writes denoiser-error.json and denoiser-error.md.
/// </summary>
internal static class DenoiserError
{
    private static readonly double[] LogSnrs = { -8, -6, -4, -2, 0, 2, 4, 6, 8, 10, 12 };

    private static readonly (string Prediction, Parameterization Space, string Weighting, string Schedule)[] Cases =
    {
        ("F", new NoiseParameterization(), "edm", "edm"),
        ("noise", new NoiseParameterization(), "none", "edm"),
        ("noise", new NoiseParameterization(), "none", "edm-wide"),
        ("data", new EdmParameterization(), "none", "edm"),
        ("data", new EdmParameterization(), "none", "edm-wide"),
    };

    public static int Run(string outDir)
    {
        Directory.CreateDirectory(outDir);
        double[] observation = { 0.4, -0.3 };
        var rows = new List<Dictionary<string, object>>();
        foreach (var (predictionName, space, weightingName, scheduleName) in Cases)
        {
            var schedule = DesignGrid.Schedule(scheduleName);
            using var estimator = DesignGrid.Train(schedule, DesignGrid.Predictions.Single(p => p.Name == predictionName), space,
                DesignGrid.Weightings.Single(w => w.Name == weightingName), importance: false, epochs: 12);
            var ts = estimator.ThetaStandardizer;
            var mean = new double[2];
            var cov = new double[2, 2];
            for (int j = 0; j < 2; j++)
            {
                mean[j] = (observation[j] / 2 - ts.Mean[j]) / ts.Std[j];
                cov[j, j] = 0.05 / (ts.Std[j] * ts.Std[j]);
            }
            var exact = new GaussianDenoiser(schedule, mean, cov);
            using var generator = new Generator(3);
            using var xs = estimator.XStandardizer.Forward(tensor(observation, new long[] { 1, 2 }, dtype: ScalarType.Float32));
            const int n = 4000;
            using var x = xs.expand(n, 2).contiguous();
            var label = $"{predictionName}/{space.Name}/{weightingName} on {scheduleName}";
            foreach (var lambda in LogSnrs)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var logSnr = ScalarMath.Full(new long[] { n, 1 }, lambda, dtype: ScalarType.Float32);
                var (alpha, sigma) = schedule.Scales(logSnr);
                var theta = tensor(mean, dtype: ScalarType.Float32).Plus(randn(new long[] { n, 2 }, generator: generator).Mul((float)Math.Sqrt(cov[0, 0])));
                var thetaT = (alpha * theta).Plus(sigma * randn(new long[] { n, 2 }, generator: generator));
                var network = estimator.Denoiser.Denoise(thetaT, logSnr, x);
                var truth = exact.Denoise(thetaT.to(ScalarType.Float64), logSnr.to(ScalarType.Float64), x.to(ScalarType.Float64)).to(ScalarType.Float32);
                var denoisedError = (network - truth).Square().mean().sqrt().item<float>();
                var noiseError = denoisedError * (alpha / sigma).mean().item<float>();
                rows.Add(new Dictionary<string, object>
                {
                    ["case"] = label, ["log_snr"] = lambda, ["sigma_over_alpha"] = Math.Exp(-lambda / 2),
                    ["rms_error_denoised"] = denoisedError, ["rms_error_noise"] = noiseError,
                });
                Console.WriteLine(FormattableString.Invariant($"{label}: λ {lambda,4}  rms error D {denoisedError:F4}  ε̂ {noiseError:F4}"));
            }
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "denoiser-error.json"), JsonSerializer.Serialize(new { date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rows }, new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        md.AppendLine("RMS error of the trained denoiser against the exact Gaussian-linear one (standardized units; design-grid model, 1,200 steps): D / ε̂ per log-SNR λ.");
        md.AppendLine();
        var cases = rows.Select(r => (string)r["case"]).Distinct().ToArray();
        md.AppendLine("| λ | σ/α | " + string.Join(" | ", cases) + " |");
        md.AppendLine("|---|---|" + string.Concat(cases.Select(_ => "---|")));
        foreach (var lambda in LogSnrs)
        {
            var cells = cases.Select(c => rows.First(r => (string)r["case"] == c && (double)r["log_snr"] == lambda))
                .Select(r => FormattableString.Invariant($"{(float)r["rms_error_denoised"]:G3} / {(float)r["rms_error_noise"]:F3}"));
            md.AppendLine(FormattableString.Invariant($"| {lambda} | {Math.Exp(-lambda / 2):G3} | ") + string.Join(" | ", cells) + " |");
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "denoiser-error.md"), md.ToString());
        return 0;
    }
}
