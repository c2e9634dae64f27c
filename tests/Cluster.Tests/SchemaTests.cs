using System.Reflection;
using System.Text.RegularExpressions;
using MesOrleans.Silo.Database;
using MesOrleans.Testing;
using Npgsql;
using Orleans.Storage;

namespace MesOrleans.Cluster.Tests;

/// <summary>The schema scripts and <c>Silo db init</c>, against a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class SchemaTests(PostgresFixture postgres)
{
    [SkippableFact]
    public async Task Db_init_applies_every_script_once_and_a_second_run_changes_nothing()
    {
        var connectionString = await postgres.Require().CreateDatabaseAsync("dbinit");

        var (first, firstOutput, _) = await DbInitAsync(connectionString);
        var schema = await DescribeAsync(connectionString);
        var (second, secondOutput, _) = await DbInitAsync(connectionString);

        Assert.Equal(0, first);
        Assert.All(MesSchema.Scripts, script => Assert.Contains($"applied {script.Name} (version {script.Version})", firstOutput));
        Assert.Equal(0, second);
        Assert.DoesNotContain("applied ", secondOutput);
        Assert.Contains($"schema at version {MesSchema.LatestVersion}, up to date; nothing applied", secondOutput);
        Assert.Equal(schema, await DescribeAsync(connectionString));
    }

    [SkippableFact]
    public async Task Db_init_on_a_database_that_cannot_be_reached_fails_with_a_message_naming_it()
    {
        var closed = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = FreePort.Next(), Database = "mes", Username = "mes", Timeout = 5 };

        var (exitCode, _, error) = await DbInitAsync(closed.ConnectionString);

        Assert.Equal(DatabaseCommand.Failed, exitCode);
        Assert.Contains($"Cannot reach PostgreSQL at 127.0.0.1:{closed.Port}, database 'mes'", error);
    }

    [SkippableFact]
    public async Task Db_init_on_a_database_that_does_not_exist_says_to_create_it()
    {
        var missing = new NpgsqlConnectionStringBuilder(postgres.Require().ConnectionString("no_such_database"));

        var (exitCode, _, error) = await DbInitAsync(missing.ConnectionString);

        Assert.Equal(DatabaseCommand.Failed, exitCode);
        Assert.Contains("database \"no_such_database\" does not exist", error);
        Assert.Contains("Create the database first", error);
    }

    [Fact]
    public async Task Db_init_without_a_connection_string_names_the_setting()
    {
        var (exitCode, _, error) = await DbInitAsync(connectionString: null);

        Assert.Equal(DatabaseCommand.Usage, exitCode);
        Assert.Contains("ConnectionStrings:Mes is not set", error);
    }

    [SkippableFact]
    public async Task A_script_changed_after_it_was_applied_is_refused()
    {
        var connectionString = await postgres.Require().CreateMesDatabaseAsync("changed");
        await ExecuteAsync(connectionString, "UPDATE mes_schema_version SET checksum = 'edited' WHERE version = 2");

        var refused = await Assert.ThrowsAsync<SchemaMismatchException>(() => MesSchema.ApplyAsync(connectionString));

        Assert.Contains("002-orleans-clustering.sql", refused.Message);
    }

    [SkippableFact]
    public async Task Silos_applying_the_schema_at_the_same_time_take_turns()
    {
        var connectionString = await postgres.Require().CreateDatabaseAsync("race");

        var changes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => MesSchema.ApplyAsync(connectionString)));

        Assert.Equal(MesSchema.Scripts.Count, changes.Sum(c => c.Applied.Count));
        Assert.All(changes, c => Assert.Equal(MesSchema.LatestVersion, c.Version));
    }

    [SkippableFact]
    public async Task Every_query_the_Orleans_providers_read_is_in_the_schema()
    {
        var connectionString = await postgres.Require().CreateMesDatabaseAsync("keys");
        var stored = (await QueryAsync(connectionString, "SELECT QueryKey FROM OrleansQuery")).ToHashSet();

        // The providers' own lists: clustering and reminders refuse to start without every key of their DbStoredQueries;
        // grain storage reads the keys named in its initialization query.
        var required = StoredQueryKeys("Orleans.Clustering.AdoNet")
            .Concat(StoredQueryKeys("Orleans.Reminders.AdoNet"))
            .Concat(QuotedKey().Matches(AdoNetGrainStorage.DefaultInitializationQuery).Select(m => m.Groups[1].Value))
            .ToArray();

        Assert.Equal(20, required.Length);
        Assert.Empty(required.Except(stored));
    }

    private static IEnumerable<string> StoredQueryKeys(string assemblyName) =>
        Assembly.Load(assemblyName).GetTypes().Single(t => t.Name == "DbStoredQueries")
            .GetProperties(BindingFlags.Instance | BindingFlags.NonPublic)
            .Select(p => p.Name);

    [GeneratedRegex("'(\\w+Key)'")]
    private static partial Regex QuotedKey();

    private static async Task<(int ExitCode, string Output, string Error)> DbInitAsync(string? connectionString)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = connectionString is null ? ["db", "init"] : ["db", "init", $"--ConnectionStrings:Mes={connectionString}"];
        var exitCode = await DatabaseCommand.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    // Tables, columns, functions, query rows and recorded versions: what a second run must leave exactly as it was.
    private static async Task<string> DescribeAsync(string connectionString)
    {
        var columns = await QueryAsync(connectionString, """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1
            """);
        var functions = await QueryAsync(connectionString, "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1");
        var queries = await QueryAsync(connectionString, "SELECT querykey || ' ' || md5(querytext) FROM orleansquery ORDER BY 1");
        var versions = await QueryAsync(connectionString, "SELECT version || ' ' || script || ' ' || checksum || ' ' || applied_at FROM mes_schema_version ORDER BY version");
        return string.Join('\n', columns.Concat(functions).Concat(queries).Concat(versions));
    }

    internal static async Task<List<string>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
