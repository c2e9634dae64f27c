using MesOrleans.History;
using MesOrleans.Plant;
using MesOrleans.Reports.Rollup;
using MesOrleans.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesOrleans.Benchmarks;

/// <summary>The reports benchmark's year in <c>mes.db</c>, as in standalone mode.</summary>
internal sealed class SqliteReportsDatabase(string directory) : ReportsDatabase
{
    private readonly string _path = Path.Combine(directory, "mes.db");
    private MesDatabase? _database;

    public override Task<bool> HasHistoryAsync() => Task.FromResult(File.Exists(_path));

    public override EventLogWriter OpenLog(PlantCatalog catalog)
    {
        _database = new MesDatabase(_path, NullLogger<MesDatabase>.Instance);
        var follower = new RollupFollower(catalog, new SqliteRollups(_database), NullLogger<RollupFollower>.Instance);
        return new SqliteHistoryStore(_database, NullLogger<SqliteHistoryStore>.Instance, follower);
    }

    public override async Task DescribeAsync()
    {
        await CloseAsync();
        await using var connection = new SqliteConnection($"Data Source={_path}");
        await connection.OpenAsync();
        var events = await ScalarAsync(connection, "SELECT count(*) FROM machine_event;");
        var size = new FileInfo(_path).Length;
        Console.WriteLine($"reports: mes.db {size / 1048576.0:N0} MiB for {events:N0} events: {size / (double)events:N0} bytes per event, rollups and indexes included");
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 12;";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                Console.WriteLine($"reports:   {reader.GetString(0),-40} {reader.GetInt64(1) / 1048576.0,8:N1} MiB");
            }
        }
        catch (SqliteException)
        {
            Console.WriteLine("reports:   (no dbstat in this SQLite build: sizes per table not shown)");
        }

        foreach (var table in new[] { "report_piece", "report_time", "report_count" })
        {
            Console.WriteLine($"reports:   {table}: {await ScalarAsync(connection, $"SELECT count(*) FROM {table};"):N0} rows");
        }
    }

    public override async Task<IRollupReader> ReopenAsync()
    {
        await CloseAsync();
        _database = new MesDatabase(_path, NullLogger<MesDatabase>.Instance);
        return new SqliteRollups(_database);
    }

    public override async ValueTask DisposeAsync() => await CloseAsync();

    private async Task CloseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }

        SqliteConnection.ClearAllPools();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
