using Microsoft.Extensions.Logging;

namespace MesOrleans.Tests.History;

/// <summary>Lets a test wait for the first warning instead of sleeping.</summary>
internal sealed class FirstWarningLogger<T> : ILogger<T>
{
    private readonly TaskCompletionSource<Exception?> _warned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the exception of the first warning (or worse) logged.</summary>
    public Task<Exception?> Warned => _warned.Task;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _warned.TrySetResult(exception);
        }
    }
}
