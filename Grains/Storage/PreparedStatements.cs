using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace MesOrleans.Storage;

/// <summary>
/// A set of <see cref="SqliteStatement"/>s prepared once per connection, on its first use, and finalized when the
/// connection closes, as the connection does with its commands' statements.
/// </summary>
internal static class PreparedStatements
{
    /// <summary>The connection's set of <typeparamref name="T"/>, prepared by <paramref name="prepare"/> the first time.</summary>
    public static T On<T>(SqliteConnection connection, Func<SqliteConnection, T> prepare)
        where T : class, IDisposable => Sets<T>.On(connection, prepare);

    private static class Sets<T>
        where T : class, IDisposable
    {
        private static readonly ConditionalWeakTable<SqliteConnection, T> Prepared = new();

        public static T On(SqliteConnection connection, Func<SqliteConnection, T> prepare)
        {
            if (Prepared.TryGetValue(connection, out var set))
            {
                return set;
            }

            // A connection has one user at a time, so no one else adds its set meanwhile.
            set = prepare(connection);
            Prepared.Add(connection, set);
            connection.StateChange += Closed;
            return set;
        }

        private static void Closed(object? sender, StateChangeEventArgs change)
        {
            if (change.CurrentState == ConnectionState.Closed && sender is SqliteConnection connection && Prepared.TryGetValue(connection, out var set))
            {
                connection.StateChange -= Closed;
                Prepared.Remove(connection);
                set.Dispose();
            }
        }
    }
}
