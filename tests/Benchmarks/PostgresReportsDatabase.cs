using System.Diagnostics;
using MesOrleans.Cluster;
using MesOrleans.History;
using MesOrleans.Plant;
using MesOrleans.Reports.Rollup;
using MesOrleans.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MesOrleans.Benchmarks;

/// <summary>
/// The reports benchmark's year in a PostgreSQL 15 of its own with durable commits, as in cluster mode: written through
/// <see cref="PostgresHistoryStore"/>, read through <see cref="PostgresRollups"/>. "Afresh" restarts the server, so that
/// its shared buffers hold nothing of the tables.
/// </summary>
internal sealed class PostgresReportsDatabase : ReportsDatabase
{
    private const string Database = "reports";

    private readonly PostgresServer _server;
    private NpgsqlDataSource? _dataSource;

    private PostgresReportsDatabase(PostgresServer server) => _server = server;

    private string ConnectionString => _server.ConnectionString(Database);

    /// <summary>Starts the server (kept in <paramref name="keepIn"/> when given) with the MES schema in its database.</summary>
    public static async Task<PostgresReportsDatabase> StartAsync(string? keepIn)
    {
        var server = await PostgresServer.StartAsync(durable: true, keepIn);
        await using (var connection = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = '{Database}');", connection);
            if (!(bool)(await exists.ExecuteScalarAsync())!)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {Database};", connection);
                await create.ExecuteNonQueryAsync();
            }
        }

        // A kept database gets the scripts added since it was made, as "Silo db migrate" would.
        var change = await MesSchema.ApplyAsync(server.ConnectionString(Database));
        Console.WriteLine($"reports: PostgreSQL on port {server.Port}, schema version {change.Version}" +
            (change.Applied.Count > 0 ? $" (applied {string.Join(", ", change.Applied.Select(s => s.Name))})" : ""));
        return new PostgresReportsDatabase(server);
    }

    public override async Task<bool> HasHistoryAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return await ScalarAsync(connection, "SELECT count(*) FROM (SELECT 1 FROM mes_machine_event LIMIT 1) AS one;") > 0;
    }

    public override EventLogWriter OpenLog(PlantCatalog catalog)
    {
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
        var follower = new RollupFollower(catalog, new PostgresRollups(_dataSource), NullLogger<RollupFollower>.Instance);
        return new PostgresHistoryStore(_dataSource, NullLogger<PostgresHistoryStore>.Instance, follower);
    }

    // Autovacuum analyzes the tables as they grow; after a year written in one go, make sure it has.
    public override async Task SettleAsync()
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("VACUUM (ANALYZE);", connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
        Console.WriteLine($"reports: VACUUM (ANALYZE) in {clock.Elapsed.TotalSeconds:N0} s");
    }

    public override async Task DescribeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var events = await ScalarAsync(connection, "SELECT count(*) FROM mes_machine_event;");
        var size = await ScalarAsync(connection, $"SELECT pg_database_size('{Database}');");
        Console.WriteLine($"reports: database {size / 1048576.0:N0} MiB (pg_database_size) for {events:N0} events: {size / (double)events:N0} bytes per event, rollups and indexes included");
        await using (var command = new NpgsqlCommand(
            """
            SELECT c.relname, pg_relation_size(c.oid) FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') ORDER BY 2 DESC LIMIT 14;
            """,
            connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Console.WriteLine($"reports:   {reader.GetString(0),-40} {reader.GetInt64(1) / 1048576.0,8:N1} MiB");
            }
        }

        foreach (var table in new[] { "mes_report_piece", "mes_report_time", "mes_report_count" })
        {
            Console.WriteLine($"reports:   {table}: {await ScalarAsync(connection, $"SELECT count(*) FROM {table};"):N0} rows");
        }
    }

    public override async Task<IRollupReader> ReopenAsync()
    {
        await CloseAsync();
        await _server.StopAsync();
        await _server.StartAgainAsync();
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
        return new PostgresRollups(_dataSource);
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await _server.DisposeAsync();
    }

    private async Task CloseAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
            _dataSource = null;
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
