namespace SbiSharp.Cli;

/// <summary>Reports synchronously to an action (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class ActionProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
