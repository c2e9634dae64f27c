using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace MesOrleans.Storage;

/// <summary>
/// Orleans grain storage on <c>mes.db</c>: one row per grain and state name, the state as JSON, and an integer
/// version as the ETag so that a write from a stale activation is rejected instead of overwriting newer state.
/// </summary>
internal sealed partial class SqliteGrainStorage(
    string name,
    MesDatabase database,
    IActivatorProvider activatorProvider,
    ILogger<SqliteGrainStorage> logger) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, payload FROM grain_state WHERE grain_type = $type AND grain_id = $id AND state_name = $name;";
        AddKey(command, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            grainState.State = CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var etag = reader.GetInt64(0);
        grainState.State = JsonSerializer.Deserialize<T>(reader.GetString(1), GrainStateJson.Options) ?? CreateInstance<T>();
        grainState.ETag = FormatETag(etag);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(grainState.State, GrainStateJson.Options);
        var expected = ParseETag(grainState.ETag);
        var written = await database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = expected is null
                    ? """
                      INSERT INTO grain_state (grain_type, grain_id, state_name, etag, payload, updated_at)
                      VALUES ($type, $id, $name, 1, $payload, $now)
                      ON CONFLICT (grain_type, grain_id, state_name) DO NOTHING
                      RETURNING etag;
                      """
                    : """
                      UPDATE grain_state SET etag = etag + 1, payload = $payload, updated_at = $now
                      WHERE grain_type = $type AND grain_id = $id AND state_name = $name AND etag = $etag
                      RETURNING etag;
                      """;
                AddKey(command, stateName, grainId);
                command.Parameters.AddWithValue("$payload", payload);
                command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                if (expected is not null)
                {
                    command.Parameters.AddWithValue("$etag", expected);
                }

                if (await command.ExecuteScalarAsync() is long etag)
                {
                    return etag;
                }

                throw await ConflictAsync<T>("write", connection, transaction, stateName, grainId, grainState.ETag);
            },
            cancellationToken);

        grainState.ETag = FormatETag(written);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var expected = ParseETag(grainState.ETag);
        await database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM grain_state WHERE grain_type = $type AND grain_id = $id AND state_name = $name AND etag = $etag;";
                AddKey(command, stateName, grainId);
                command.Parameters.AddWithValue("$etag", (object?)expected ?? DBNull.Value);
                if (await command.ExecuteNonQueryAsync() == 1)
                {
                    return true;
                }

                // Nothing deleted: fine if there was nothing to clear and we knew it; otherwise our view is stale.
                var stored = await ReadStoredETagAsync(connection, transaction, stateName, grainId);
                if (stored is null && expected is null)
                {
                    return true;
                }

                throw await ConflictAsync<T>("clear", connection, transaction, stateName, grainId, grainState.ETag);
            },
            cancellationToken);

        grainState.State = CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task<InconsistentStateException> ConflictAsync<T>(
        string operation, SqliteConnection connection, SqliteTransaction transaction, string stateName, GrainId grainId, string? currentETag)
    {
        var stored = FormatETag(await ReadStoredETagAsync(connection, transaction, stateName, grainId));
        LogConflict(operation, name, grainId, stateName, stored, currentETag);
        return new InconsistentStateException(
            $"Version conflict on {operation} of {typeof(T).Name} '{stateName}' for {grainId} in storage '{name}': stored ETag {stored ?? "(none)"}, this activation had {currentETag ?? "(none)"}.",
            stored,
            currentETag);
    }

    private static async Task<long?> ReadStoredETagAsync(SqliteConnection connection, SqliteTransaction transaction, string stateName, GrainId grainId)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT etag FROM grain_state WHERE grain_type = $type AND grain_id = $id AND state_name = $name;";
        AddKey(command, stateName, grainId);
        return await command.ExecuteScalarAsync() as long?;
    }

    private static void AddKey(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$type", grainId.Type.ToString());
        command.Parameters.AddWithValue("$id", grainId.Key.ToString());
        command.Parameters.AddWithValue("$name", stateName);
    }

    private static long? ParseETag(string? etag) =>
        string.IsNullOrEmpty(etag)
            ? null
            : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                ? version
                : throw new InconsistentStateException($"ETag '{etag}' was not issued by SQLite grain storage.", null, etag);

    private static string? FormatETag(long? etag) => etag?.ToString(CultureInfo.InvariantCulture);

    // Same as the built-in providers: the activator also handles state types without a parameterless constructor.
    private T CreateInstance<T>() => activatorProvider.GetActivator<T>().Create();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Version conflict on {Operation} in grain storage {StorageName} for {GrainId} state {StateName}: stored ETag {StoredETag}, activation ETag {CurrentETag}")]
    private partial void LogConflict(string operation, string storageName, GrainId grainId, string stateName, string? storedETag, string? currentETag);
}
