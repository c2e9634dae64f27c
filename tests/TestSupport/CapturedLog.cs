using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Testing;

/// <summary>Keeps what an app logs at warning level and above, with the exceptions' types, for tests to read.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>"Level Category: message [exception type: message]" for each entry so far.</summary>
    public IReadOnlyList<string> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var error = exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]";
                entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{error}");
            }
        }
    }
}
