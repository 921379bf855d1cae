using System.Globalization;

namespace SbiSharp.Bench;

/// <summary>
/// Benchmarks (not tests). Usage:
///   speed [--out DIR] [--quick]                                   training and sampling speed vs sgemm
///   c2st-check [DIR [NAME ...]]                                  our C2ST on Gaussian pairs (compare: bench/c2st/sklearn_c2st.py DIR NAME ...)
///   ik-reference [--out DIR] [--samples CSV] [--model FILE | --no-model] [--draws N] [--tolerance E]
///                                      demo posterior vs a rejection reference, and the demo model under three samplers
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("speed" or "ik-reference" or "c2st-check"))
        {
            Console.Error.WriteLine("error: first argument must be 'speed', 'ik-reference' or 'c2st-check'");
            return 2;
        }
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
