using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MesOrleans.Hosting;

/// <summary>Runs an MES host so that a start that cannot succeed ends the process plainly, with exit code 1.</summary>
public static partial class MesHostExtensions
{
    /// <summary>
    /// Checks every setting validated at start (the plant model file among them) before anything starts, so that a bad
    /// one is reported alone and not followed by the traces of a silo shutting down; then runs the host until it stops.
    /// Returns the process exit code: 0 when the host stopped as asked, 1 when it could not start or failed.
    /// </summary>
    public static async Task<int> RunMesAsync(this IHost host)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MesOrleans");
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException invalid)
        {
            LogInvalidSettings(logger, string.Join(Environment.NewLine, invalid.Failures));

            // Disposing flushes the console logger, which writes on a thread of its own.
            await DisposeAsync(host);
            return 1;
        }

        try
        {
            await host.RunAsync();
            return 0;
        }
        catch (Exception failure)
        {
            LogStopped(logger, failure.Message);
            return 1;
        }
    }

    private static async Task DisposeAsync(IHost host)
    {
        if (host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The MES cannot start. Fix these settings and start it again:\n{Failures}")]
    private static partial void LogInvalidSettings(ILogger logger, string failures);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The MES stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string reason);
}
