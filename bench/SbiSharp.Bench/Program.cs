using System.Globalization;

namespace SbiSharp.Bench;

/// <summary>
/// Benchmarks (not tests). Usage:
///   speed [--out DIR] [--quick]                                   training and sampling speed vs sgemm
///   c2st-check [DIR [NAME ...]]                                  our C2ST on Gaussian pairs (compare: bench/c2st/sklearn_c2st.py DIR NAME ...)
///   ik-reference [--out DIR] [--samples CSV] [--model FILE | --no-model] [--draws N] [--tolerance E]
///                                      demo posterior vs a rejection reference, and the demo model under three samplers
///   frontier [MODELS_DIR [OUT_DIR [TASKS [OBSERVATIONS]]]]      C2ST vs NFE and time for every sampler on trained sbibm models
///   design-report [DIR]                                         the design-space table from bench/design-space.sh runs
///   design-grid [OUT_DIR [edm|edm-wide|cosine [importance|schedule [STEPS]]]]  every prediction × loss × weighting on 2-D Gaussian-linear
///   denoiser-error [OUT_DIR]                                    trained vs exact denoiser error per log-SNR (why ε and x fail)
///   guidance-arm [MODEL [OUT_DIR]]                             elbow-up guidance on the demo model: sampler × strength × sharpness
///   guidance [OUT_DIR [N,N,...]]                                composition error vs N per method, prior-swap bias (Gaussian-linear)
///   soak [OUT_DIR [CALLS [DRAWS [STEPS]]]]                      resident memory and live tensors over many Sample calls (default 10,000 × 16 draws, euler-5)
///   sbibm-compare OUT.md LABEL=DIR ...                          mean C2ST per task of several `sbisharp bench` runs side by side
///   consistency [OUT_DIR [TEACHERS_DIR [TASKS [OBSERVATIONS [LABEL=DIR,...]]]]]  consistency models at 1–8 jumps vs their diffusion baseline (EM-500, Heun-30)
///   tangent [OUT_DIR [STEPS]]                                  sCM's dF/dt by finite difference vs double backward: steps/s and agreement
///   kolmogorov [OUT_DIR [SIZE [TRAIN_MINUTES [PAIRS [TRAJECTORIES [SNAPSHOTS [UNET_WIDTH]]]]]]]  learned Kolmogorov-flow prior vs the best Gaussian, zero-shot
///   zero-shot [OUT_DIR [SIZES [DRAWS [LEARNED_SIZE [TRAIN_MINUTES [LEARNED_DRAWS [TIMING_WIDTHS [TIMING_DRAWS]]]]]]]]  MMPS, DPS, ΠGDM vs the exact GRF posterior; 64×64 speed
///   docs [--check]                                              regenerate the tables in README.md and docs/*.md from bench/results (--check: list stale pages, exit 1)
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("speed" or "ik-reference" or "c2st-check" or "frontier" or "design-report" or "design-grid" or "guidance" or "guidance-arm" or "denoiser-error" or "soak" or "docs" or "sbibm-compare" or "profile" or "narrow" or "highdim" or "consistency" or "tangent" or "kolmogorov" or "zero-shot"))
        {
            Console.Error.WriteLine("error: first argument must be one of speed, ik-reference, c2st-check, frontier, design-report, design-grid, guidance, guidance-arm, denoiser-error, soak, docs, sbibm-compare, profile, narrow, highdim, consistency, tangent, kolmogorov, zero-shot");
            return 2;
        }
        if (args[0] == "frontier")
        {
            // frontier MODELS_DIR OUT_DIR [tasks,comma,separated] [observations,comma,separated]
            var tasks = args.Length > 3 ? args[3].Split(',') : new[] { "two_moons", "gaussian_mixture", "slcp" };
            var obs = args.Length > 4 ? args[4].Split(',').Select(int.Parse).ToArray() : new[] { 1 };
            return SamplerFrontier.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", "sbibm-1e4"), args.Length > 2 ? args[2] : Path.Combine("bench", "results", "frontier"), tasks, obs, 10_000);
        }
        if (args[0] == "consistency")
        {
            // consistency [OUT_DIR] [TEACHERS_DIR] [tasks,comma,separated] [observations,comma,separated] [label=dir,label=dir]
            var tasks = args.Length > 3 ? args[3].Split(',') : new[] { "two_moons", "gaussian_mixture", "slcp" };
            var obs = args.Length > 4 ? args[4].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() : new[] { 1 };
            var candidates = (args.Length > 5 ? args[5] : "ct=bench/results/sbibm-1e4-consistency,scm=bench/results/sbibm-1e4-stable-consistency,distilled=bench/results/sbibm-1e4-distilled")
                .Split(',').Select(c => c.Split('=', 2)).ToArray();
            if (candidates.FirstOrDefault(c => c.Length != 2) is { } bad)
            {
                Console.Error.WriteLine($"error: consistency candidates must be LABEL=DIR; got '{string.Join("=", bad)}'");
                return 2;
            }
            return ConsistencyFrontier.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", "consistency-1e4"),
                args.Length > 2 ? args[2] : Path.Combine("bench", "results", "sbibm-1e4-converged"), tasks, obs, candidates.Select(c => (c[0], c[1])).ToArray(), 10_000);
        }
        if (args[0] == "tangent")
        {
            var steps = 300;
            if (args.Length > 2 && !(int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out steps) && steps > 0))
            {
                Console.Error.WriteLine($"error: tangent STEPS must be a positive integer; got '{args[2]}'");
                return 2;
            }
            return TangentBench.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", "consistency-tangent"), steps);
        }
        if (args[0] == "guidance-arm")
            return GuidanceArmBench.Run(args.Length > 1 ? args[1] : Path.Combine("demo-out", "model.sbis"), args.Length > 2 ? args[2] : Path.Combine("bench", "results", "guidance"));
        if (args[0] == "guidance")
            return GuidanceBench.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", "guidance"),
                args.Length > 2 ? args[2].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() : new[] { 1, 10, 100, 1000 });
        if (args[0] == "design-grid")
        {
            var mode = args.Length > 3 ? args[3] : "schedule";
            if (mode is not ("schedule" or "importance"))
            {
                Console.Error.WriteLine($"error: design-grid noise-level sampling must be 'schedule' or 'importance'; got '{mode}'");
                return 2;
            }
            var steps = 1200;
            if (args.Length > 4 && !(int.TryParse(args[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out steps) && steps > 0 && steps % 100 == 0))
            {
                Console.Error.WriteLine($"error: design-grid STEPS must be a positive multiple of 100 (100 steps per epoch); got '{args[4]}'");
                return 2;
            }
            return DesignGrid.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", "design-grid"), args.Length > 2 ? args[2] : "edm", mode == "importance", steps / 100);
        }
        if (args[0] == "narrow")
            return NarrowPosteriorBench.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", "narrow-posteriors"));
        if (args[0] == "profile")
        {
            // profile [OUT_DIR] [STEPS]
            var steps = 150;
            if (args.Length > 2 && !(int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out steps) && steps > 0))
            {
                Console.Error.WriteLine($"error: profile STEPS must be a positive integer; got '{args[2]}'");
                return 2;
            }
            return ProfileBench.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", "profile"), steps);
        }
        if (args[0] == "highdim")
        {
            // highdim [OUT_DIR] [BUDGET] [OBSERVATIONS] [DESIGN,DESIGN,...]
            long budget = 10_000;
            int observations = 5;
            if (args.Length > 2 && !(long.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out budget) && budget >= 100))
            {
                Console.Error.WriteLine($"error: highdim BUDGET must be an integer of at least 100; got '{args[2]}'");
                return 2;
            }
            if (args.Length > 3 && !(int.TryParse(args[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out observations) && observations > 0))
            {
                Console.Error.WriteLine($"error: highdim OBSERVATIONS must be a positive integer; got '{args[3]}'");
                return 2;
            }
            var designs = args.Length > 4 ? args[4].Split(',') : null;
            if (designs?.FirstOrDefault(n => !SbiSharp.Estimators.DiffusionDesigns.Names.Contains(n)) is { } unknown)
            {
                Console.Error.WriteLine($"error: highdim DESIGN '{unknown}' is unknown; valid: {string.Join(", ", SbiSharp.Estimators.DiffusionDesigns.Names)}");
                return 2;
            }
            return HighDimensionalBench.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", $"highdim-{budget}"), budget, observations, designs);
        }
        if (args[0] == "kolmogorov")
        {
            // kolmogorov [OUT_DIR] [SIZE] [TRAIN_MINUTES] [PAIRS] [TRAJECTORIES] [SNAPSHOTS] [UNET_WIDTH]
            var names = new[] { "SIZE", "TRAIN_MINUTES", "PAIRS", "TRAJECTORIES", "SNAPSHOTS", "UNET_WIDTH" };
            var values = new double[] { 32, 20, 100, 128, 16, 32 };
            for (var i = 0; i < names.Length && i + 2 < args.Length; i++)
                if (!double.TryParse(args[i + 2], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0) || (i != 1 && values[i] != Math.Floor(values[i])))
                {
                    Console.Error.WriteLine($"error: kolmogorov {names[i]} must be a positive {(i == 1 ? "number" : "integer")}; got '{args[i + 2]}'");
                    return 2;
                }
            var size = (int)values[0];
            return KolmogorovBench.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", $"kolmogorov-{size}"), size, values[1], (int)values[2], (int)values[3], (int)values[4], (int)values[5]);
        }
        if (args[0] == "zero-shot")
        {
            // zero-shot [OUT_DIR] [SIZES] [DRAWS] [LEARNED_SIZE] [TRAIN_MINUTES (0: no learned prior)] [LEARNED_DRAWS] [TIMING_WIDTHS (0: no timing)] [TIMING_DRAWS]
            static int[] List(string text, string name)
            {
                var values = text.Split(',').Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
                if (values.Any(v => v < 0)) throw new ArgumentException($"zero-shot {name} must be comma-separated non-negative integers; got '{text}'.");
                return values;
            }
            string At(int i, string fallback) => args.Length > i ? args[i] : fallback;
            try
            {
                var sizes = List(At(2, "16,32,64"), "SIZES");
                if (sizes.Any(s => s < 4 || s % 4 != 0)) throw new ArgumentException($"zero-shot SIZES must be multiples of 4 (coarse ×4), at least 4; got '{At(2, "")}'.");
                int Single(int i, string fallback, string name, int least)
                {
                    var values = List(At(i, fallback), name);
                    if (values.Length != 1 || values[0] < least) throw new ArgumentException($"zero-shot {name} must be one integer ≥ {least}; got '{At(i, fallback)}'.");
                    return values[0];
                }
                var count = Single(3, "1000", "DRAWS", 2);
                var learnedSize = Single(4, "16", "LEARNED_SIZE", 4);
                if (learnedSize % 4 != 0) throw new ArgumentException($"zero-shot LEARNED_SIZE must be a multiple of 4 (coarse ×4); got {learnedSize}.");
                if (!double.TryParse(At(5, "10"), NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) || minutes < 0)
                    throw new ArgumentException($"zero-shot TRAIN_MINUTES must be a non-negative number; got '{At(5, "")}'.");
                var widths = List(At(7, "16,32"), "TIMING_WIDTHS").Where(w => w > 0).ToArray();
                return ZeroShotBench.Run(At(1, Path.Combine("bench", "results", "zero-shot")), sizes, count, learnedSize, minutes,
                    Single(6, "100", "LEARNED_DRAWS", 2), widths, Single(8, "4", "TIMING_DRAWS", 1));
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        }
        if (args[0] == "sbibm-compare")
            return args.Length < 3 ? SbibmCompare.Run("", Array.Empty<string>()) : SbibmCompare.Run(args[1], args[2..]);
        if (args[0] == "docs")
            return DocsTables.Run(Directory.GetCurrentDirectory(), args.Contains("--check"));
        if (args[0] == "soak")
        {
            int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
            return SoakBench.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", "soak"), Arg(2, 10_000), Arg(3, 16), Arg(4, 5));
        }
        if (args[0] == "denoiser-error")
            return DenoiserError.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", "design-grid"));
        if (args[0] == "design-report")
            return DesignReport.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "results", "design-1e4"));
        if (args[0] == "c2st-check")
            return C2stCheck.Run(args.Length > 1 ? args[1] : Path.Combine("bench", "out", "c2st"), args.Length > 2 ? args[2..] : null);
        string outDir = Path.Combine("bench", "out");
        string samples = Path.Combine("demo-out", "samples.csv");
        long draws = 100_000_000;
        double tolerance = 0.01;
        bool quick = false;
        string? model = Path.Combine("demo-out", "model.sbis");
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out": outDir = args[++i]; break;
                case "--quick": quick = true; break;
                case "--samples": samples = args[++i]; break;
                case "--model": model = args[++i]; break;
                case "--no-model": model = null; break;
                case "--draws": draws = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tolerance": tolerance = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"error: unknown argument '{args[i]}'");
                    return 2;
            }
        }
        return args[0] == "speed" ? SpeedBenchmark.Run(outDir, quick) : InverseKinematicsReference.Run(outDir, samples, draws, tolerance, model is not null && File.Exists(model) ? model : null);
    }
}
