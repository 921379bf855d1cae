namespace SbiSharp.Internal;

/// <summary>An <see cref="IProgress{T}"/> that reports synchronously on the calling thread (unlike <see cref="Progress{T}"/>).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public SyncProgress(IProgress<T> inner) : this(inner.Report) { }

    public void Report(T value) => report(value);
}
