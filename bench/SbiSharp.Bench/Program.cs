namespace SbiSharp.Bench;

internal static class Program
{
    private static int Main(string[] args)
    {
        string outDir = Path.Combine("bench", "out");
        bool quick = false;
        var what = "speed";
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out": outDir = args[++i]; break;
                case "--quick": quick = true; break;
                case "speed": what = args[i]; break;
                default:
                    Console.Error.WriteLine($"error: unknown argument '{args[i]}'; usage: speed [--out DIR] [--quick]");
                    return 2;
            }
        }
        return what switch
        {
            _ => SpeedBenchmark.Run(outDir, quick),
        };
    }
}
