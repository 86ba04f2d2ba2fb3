using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CasePathway.Host.Tests.Api;

/// <summary>A server's log lines kept in a list, for tests that read what was logged — and what never was.</summary>
/// <param name="minimum">The least level kept.</param>
/// <param name="withExceptions">Whether an exception's text is appended to its line (the log-forging test reads the lines as written).</param>
public sealed class LogList(LogLevel minimum = LogLevel.Trace, bool withExceptions = true) : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogList list, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= list._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            list.Lines.Enqueue((logLevel, category, formatter(state, exception) + (exception is null || !list._withExceptions ? "" : " " + exception)));
        }
    }

    private readonly LogLevel _minimum = minimum;
    private readonly bool _withExceptions = withExceptions;
}
