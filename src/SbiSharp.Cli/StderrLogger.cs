using Microsoft.Extensions.Logging;

namespace SbiSharp.Cli;

/// <summary>Writes the library's warnings and errors to stderr as one line each ("warning: …"); information is left out.</summary>
internal sealed class StderrLogger : ILogger
{
    /// <summary>The one instance the commands share.</summary>
    public static readonly StderrLogger Instance = new();

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        Console.Error.WriteLine($"{(logLevel >= LogLevel.Error ? "error" : "warning")}: {formatter(state, exception)}");
    }
}
