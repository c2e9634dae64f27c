using MesOrleans.History;
using MesOrleans.History.Retention;
using MesOrleans.Hosting;
using MesOrleans.Reports.Rollup;
using MesOrleans.Telemetry.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MesOrleans.Storage;

/// <summary>Standalone mode's storage: everything in SQLite files under <c>Mes:DataDirectory</c>, no setup.</summary>
public static class StandaloneStorage
{
    /// <summary>
    /// <c>mes.db</c> (one writer connection) holds grain state and the event log; <c>telemetry-queue.db</c> holds the
    /// telemetry stream's queue, apart so that acknowledging a device never waits for an event-log commit.
    /// </summary>
    public static ISiloBuilder AddStandaloneStorage(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.AddSingleton(sp => new MesDatabase(
            Path.Combine(sp.GetRequiredService<IOptions<MesOptions>>().Value.DataDirectory, "mes.db"),
            sp.GetRequiredService<ILogger<MesDatabase>>()));
        services.AddSingleton<SqliteRollups>();
        services.AddSingleton<IRollupReader>(sp => sp.GetRequiredService<SqliteRollups>());
        services.AddSingleton<IRollupStore>(sp => sp.GetRequiredService<SqliteRollups>());
        services.AddSingleton<SqliteHistoryStore>();
        services.AddSingleton<EventLogWriter>(sp => sp.GetRequiredService<SqliteHistoryStore>());
        services.AddSingleton<IMachineEventLog>(sp => sp.GetRequiredService<SqliteHistoryStore>());
        services.AddSingleton<IHistoryReader>(sp => sp.GetRequiredService<SqliteHistoryStore>());
        services.AddSingleton<IHistoryPruning, SqlitePruning>();
        services.AddSingleton<TelemetryQueue>(sp => new SqliteTelemetryQueue(
            Path.Combine(sp.GetRequiredService<IOptions<MesOptions>>().Value.DataDirectory, "telemetry-queue.db"),
            sp.GetRequiredService<IOptions<TelemetryQueueOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SqliteTelemetryQueue>>()));
        silo.AddSqliteGrainStorage(MesStorage.Name);
        return silo;
    }
}
