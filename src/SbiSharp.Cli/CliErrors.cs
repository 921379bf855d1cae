namespace SbiSharp.Cli;

/// <summary>Runs a command body: exit code 2 and one line on stderr on failure; the stack trace only with --verbose.</summary>
internal static class CliErrors
{
    public static int Run(bool verbose, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
            Console.Error.WriteLine($"error: {inner.Message.ReplaceLineEndings(" ")}");
            if (verbose) Console.Error.WriteLine(inner);
            return 2;
        }
    }
}
