namespace SbiSharp;

/// <summary>An <see cref="IProgress{T}"/> that reports synchronously on the calling thread, in order (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
/// <typeparam name="T">Progress value type.</typeparam>
/// <param name="report">Called with each value.</param>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <summary>Forwards to another progress sink synchronously.</summary>
    /// <param name="inner">The sink.</param>
    public SynchronousProgress(IProgress<T> inner) : this(inner.Report) { }

    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
