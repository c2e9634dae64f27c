using MesOrleans.Storage;

namespace MesOrleans.Tests.Storage;

/// <summary>Plain SQL on a test's <c>mes.db</c>, outside the stores, as a tool or a mistaken statement would run it.</summary>
internal static class MesDatabaseStatements
{
    /// <summary>Runs <paramref name="sql"/> in a write transaction of its own; returns the rows it changed.</summary>
    public static Task<int> ExecuteAsync(this MesDatabase database, string sql) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return await command.ExecuteNonQueryAsync();
        });
}
