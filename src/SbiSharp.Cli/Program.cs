using static TorchSharp.torch;
internal static class Program
{
    private static int Main()
    {
        var a = randn(3, 3);
        System.Console.WriteLine(a.matmul(a).sum().item<float>());
        return 0;
    }
}
