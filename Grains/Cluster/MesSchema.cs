using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace MesOrleans.Cluster;

/// <summary>
/// The cluster's PostgreSQL schema: the numbered scripts of <c>deploy/postgres</c> (embedded in this assembly), each
/// applied once, in order, in its own transaction, and recorded in <c>mes_schema_version</c>. A later change is a new
/// script with the next number; a script already applied never changes, and a changed one is refused.
/// </summary>
public static class MesSchema
{
    /// <summary>The oldest PostgreSQL this schema runs on (<c>UNIQUE NULLS NOT DISTINCT</c> arrived in 15).</summary>
    public static readonly Version MinimumServerVersion = new(15, 0);

    // Any fixed number: silos starting together with "db init" wait for each other instead of racing.
    private const long ApplyLockKey = 0x4D45_535F_5343_4845;

    private const string ResourcePrefix = "MesOrleans.Schema.";

    /// <summary>The scripts this build knows, by version.</summary>
    public static IReadOnlyList<SchemaScript> Scripts { get; } = LoadScripts();

    /// <summary>The version a database has once every script of this build is applied.</summary>
    public static int LatestVersion => Scripts[^1].Version;

    /// <summary>
    /// Applies the scripts the database does not have yet and returns what it did. Safe to run again and from several
    /// processes at once: they take turns, and the later ones find nothing to do.
    /// </summary>
    /// <exception cref="NpgsqlException">The database cannot be reached or refused a script.</exception>
    /// <exception cref="SchemaMismatchException">The server is too old, or a script applied earlier has changed.</exception>
    public static async Task<SchemaChange> ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // A connection of its own, not from the pool: the lock below belongs to the session and ends with it, even when
        // a script fails halfway.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        if (connection.PostgreSqlVersion < MinimumServerVersion)
        {
            throw new SchemaMismatchException(
                $"PostgreSQL {connection.PostgreSqlVersion} is too old: the MES schema needs {MinimumServerVersion.Major} or newer.");
        }

        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({ApplyLockKey})", cancellationToken);
        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS mes_schema_version
            (
                version    integer     PRIMARY KEY,
                script     text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);
        var recorded = await ReadRecordedAsync(connection, cancellationToken);
        foreach (var script in Scripts)
        {
            if (recorded.TryGetValue(script.Version, out var earlier) && earlier.Checksum != script.Checksum)
            {
                throw new SchemaMismatchException(
                    $"deploy/postgres/{script.Name} differs from the script applied as version {script.Version} on {earlier.AppliedAt:u} " +
                    "(a script never changes once applied: put the change in a new script with the next number).");
            }
        }

        var applied = new List<SchemaScript>();
        foreach (var script in Scripts.Where(s => !recorded.ContainsKey(s.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await using (var record = new NpgsqlCommand(
                "INSERT INTO mes_schema_version (version, script, checksum) VALUES (@version, @script, @checksum)", connection, transaction))
            {
                record.Parameters.AddWithValue("version", script.Version);
                record.Parameters.AddWithValue("script", script.Name);
                record.Parameters.AddWithValue("checksum", script.Checksum);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            applied.Add(script);
        }

        var version = recorded.Keys.Concat(applied.Select(s => s.Version)).DefaultIfEmpty(0).Max();
        return new SchemaChange(applied, version);
    }

    private static async Task<Dictionary<int, (string Checksum, DateTime AppliedAt)>> ReadRecordedAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<int, (string, DateTime)>();
        await using var command = new NpgsqlCommand("SELECT version, checksum, applied_at FROM mes_schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded[reader.GetInt32(0)] = (reader.GetString(1), reader.GetDateTime(2));
        }

        return recorded;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SchemaScript[] LoadScripts()
    {
        var assembly = typeof(MesSchema).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(resource =>
            {
                var name = resource[ResourcePrefix.Length..];
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return SchemaScript.Create(name, reader.ReadToEnd());
            })
            .OrderBy(s => s.Version)
            .ToArray();
        for (var i = 0; i < scripts.Length; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Schema scripts must be numbered 001, 002, ... without gaps; found {scripts[i].Name} at position {i + 1}.");
            }
        }

        return scripts;
    }
}

/// <summary>One numbered script of <c>deploy/postgres</c>, such as <c>002-orleans-clustering.sql</c>.</summary>
public sealed record SchemaScript(int Version, string Name, string Sql, string Checksum)
{
    internal static SchemaScript Create(string name, string text)
    {
        var digits = new string(name.TakeWhile(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0 || name[digits.Length] != '-')
        {
            throw new InvalidOperationException($"Schema script {name} must start with its number, e.g. 005-history.sql.");
        }

        // Line endings depend on the checkout; the checksum must not.
        var sql = text.ReplaceLineEndings("\n");
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        return new SchemaScript(int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture), name, sql, checksum);
    }
}

/// <summary>What <see cref="MesSchema.ApplyAsync"/> did: the scripts it applied (none when up to date) and the version now.</summary>
public sealed record SchemaChange(IReadOnlyList<SchemaScript> Applied, int Version);

/// <summary>The database cannot take this build's schema: the server is too old, or an applied script has changed.</summary>
public sealed class SchemaMismatchException(string message) : Exception(message);
