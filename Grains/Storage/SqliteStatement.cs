using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MesOrleans.Storage;

/// <summary>
/// One SQL statement prepared once on an open connection and run through SQLite's own API, for the statements every
/// telemetry message runs: binding a number allocates nothing and binding text needs no managed buffer, where
/// <see cref="SqliteCommand"/> allocates a binder, a parameter, a boxed value and a UTF-8 copy per value and execution.
/// </summary>
/// <remarks>
/// <para>It runs on the connection's own handle, so it takes part in whatever transaction the connection has open.
/// Every use ends in <see cref="Reset"/> (<see cref="Execute"/> does it itself), so that a statement never holds a
/// read transaction open between uses. Parameters are numbered from 1 in the order they first appear in the SQL; columns
/// from 0. Not thread-safe: use it where the connection is used, one caller at a time.</para>
/// <para>Errors surface as <see cref="SqliteException"/> with SQLite's message, as they do from a command.</para>
/// </remarks>
internal sealed class SqliteStatement : IDisposable
{
    private const uint PreparePersistent = 0x01;

    // A zero-terminated empty string: a span of no bytes pins to a null pointer, which SQLite would bind as NULL.
    private static readonly byte[] EmptyText = [0];

    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        _database = connection.Handle ?? throw new InvalidOperationException("The connection must be open to prepare a statement on it.");
        var result = raw.sqlite3_prepare_v3(_database, sql, PreparePersistent, out _statement, out var rest);
        if (result != raw.SQLITE_OK)
        {
            _statement?.Dispose();
            throw Failure(result);
        }

        if (!string.IsNullOrWhiteSpace(rest))
        {
            _statement.Dispose();
            throw new ArgumentException($"One statement at a time; this SQL goes on after it: {rest.Trim()}", nameof(sql));
        }
    }

    /// <summary>Rows changed by the connection's most recent INSERT, UPDATE or DELETE.</summary>
    public int Changes => raw.sqlite3_changes(_database);

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value)
    {
        if (value is { } number)
        {
            Bind(index, number);
        }
        else
        {
            BindNull(index);
        }
    }

    public void Bind(int index, double value) => Check(raw.sqlite3_bind_double(_statement, index, value));

    /// <summary>Binds text, or NULL for null.</summary>
    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            BindNull(index);
        }
        else
        {
            BindText(index, value.AsSpan());
        }
    }

    /// <summary>Binds text given as UTF-16; SQLite copies it to the file's UTF-8 itself.</summary>
    public void BindText(int index, ReadOnlySpan<char> value) =>
        Check(value.IsEmpty ? BindEmptyText(index) : raw.sqlite3_bind_text16(_statement, index, value));

    /// <summary>Binds text given as UTF-8 bytes, as a JSON writer produces them.</summary>
    public void BindUtf8Text(int index, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? BindEmptyText(index) : raw.sqlite3_bind_text(_statement, index, value));

    /// <summary>Binds a blob; an empty one stays a blob of no bytes rather than becoming NULL.</summary>
    public void BindBlob(int index, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));

    public void BindNull(int index) => Check(raw.sqlite3_bind_null(_statement, index));

    /// <summary>Runs the statement to its next row: true with a row to read, false once it is done.</summary>
    /// <exception cref="SqliteException">SQLite failed; the statement is reset.</exception>
    public bool Step()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW)
        {
            return true;
        }

        if (result == raw.SQLITE_DONE)
        {
            return false;
        }

        var failure = Failure(result);
        Reset();
        throw failure;
    }

    /// <summary>Binds an id as the stores write ids: lower-case "D" text, formatted on the stack.</summary>
    public void Bind(int index, Guid? value)
    {
        if (value is not { } id)
        {
            BindNull(index);
            return;
        }

        Span<char> text = stackalloc char[36];
        id.TryFormat(text, out _, "D");
        BindText(index, text);
    }

    /// <summary>Runs the bound statement, reads each row it gives with <paramref name="row"/>, and resets it.</summary>
    public List<T> ReadAll<T>(Func<SqliteStatement, T> row)
    {
        var rows = new List<T>();
        try
        {
            while (Step())
            {
                rows.Add(row(this));
            }

            return rows;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs the bound statement, reads its first row with <paramref name="row"/> if it gives one, and resets it.</summary>
    public bool TryReadFirst<T>(Func<SqliteStatement, T> row, [MaybeNullWhen(false)] out T value)
    {
        try
        {
            var found = Step();
            value = found ? row(this) : default;
            return found;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs the statement to its end and resets it; returns the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            while (Step())
            {
            }

            return Changes;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Makes the statement ready to run again, with no values bound; ends the read it had going.</summary>
    public void Reset()
    {
        // reset repeats the error of the last step, which that step already reported.
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
    }

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    public double GetDouble(int column) => raw.sqlite3_column_double(_statement, column);

    /// <summary>The column's text, or null for NULL.</summary>
    public string? GetString(int column) => IsNull(column) ? null : raw.sqlite3_column_text(_statement, column).utf8_to_string();

    /// <summary>The column's bytes (a blob, or text as UTF-8), valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> GetBytes(int column) => raw.sqlite3_column_blob(_statement, column);

    public void Dispose() => _statement.Dispose();

    private int BindEmptyText(int index) => raw.sqlite3_bind_text(_statement, index, utf8z.FromSpan(EmptyText));

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw Failure(result);
        }
    }

    // The exception a command would throw for the result, with SQLite's message for it.
    private SqliteException Failure(int result)
    {
        try
        {
            SqliteException.ThrowExceptionForRC(result, _database);
        }
        catch (SqliteException failure)
        {
            return failure;
        }

        return new SqliteException($"SQLite returned {result}.", result);
    }
}
