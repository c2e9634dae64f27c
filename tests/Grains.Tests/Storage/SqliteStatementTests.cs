using System.Text;
using MesOrleans.Storage;
using Microsoft.Data.Sqlite;

namespace MesOrleans.Tests.Storage;

public sealed class SqliteStatementTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly SqliteConnection _connection;

    public SqliteStatementTests()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_directory.DatabasePath)!);
        _connection = new SqliteConnection($"Data Source={_directory.DatabasePath};Pooling=False");
        _connection.Open();
        Run("CREATE TABLE item (id INTEGER PRIMARY KEY, number INTEGER, name TEXT, data BLOB, ratio REAL);");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("Prüfstand ✓")]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("𝄞 outside the basic plane")]
    public void Text_reads_back_as_written_and_as_a_command_reads_it(string name)
    {
        using (var insert = new SqliteStatement(_connection, "INSERT INTO item (id, name) VALUES ($id, $name);"))
        {
            insert.Bind(1, 1);
            insert.Bind(2, name);
            Assert.Equal(1, insert.Execute());
        }

        Assert.Equal(name, Scalar("SELECT name FROM item WHERE id = 1;"));
        Assert.Equal("text", Scalar("SELECT typeof(name) FROM item WHERE id = 1;"));
        using var select = new SqliteStatement(_connection, "SELECT name FROM item WHERE id = $id;");
        select.Bind(1, 1);
        Assert.True(select.Step());
        Assert.Equal(name, select.GetString(0));
        Assert.False(select.Step());
        select.Reset();
    }

    [Fact]
    public void Ids_are_stored_as_their_lower_case_text_and_rows_read_back_in_order()
    {
        var id = Guid.Parse("0193A5B2-7C4D-7E8F-9A0B-1C2D3E4F5A6B");
        using (var insert = new SqliteStatement(_connection, "INSERT INTO item (id, name) VALUES ($id, $name);"))
        {
            insert.Bind(1, 1);
            insert.Bind(2, id);
            insert.Execute();
            insert.Bind(1, 2);
            insert.Bind(2, (Guid?)null);
            insert.Execute();
        }

        using var select = new SqliteStatement(_connection, "SELECT name FROM item WHERE id >= $from ORDER BY id;");
        select.Bind(1, 1);
        Assert.Equal(["0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", null], select.ReadAll(static row => row.GetString(0)));
        select.Bind(1, 3);
        Assert.False(select.TryReadFirst(static row => row.GetString(0), out _));
        select.Bind(1, 1);
        Assert.True(select.TryReadFirst(static row => row.GetString(0), out var first));
        Assert.Equal(id.ToString("D"), first);
    }

    [Fact]
    public void Text_given_as_UTF8_or_as_characters_is_stored_alike()
    {
        using var insert = new SqliteStatement(_connection, "INSERT INTO item (id, name) VALUES ($id, $name);");
        insert.Bind(1, 1);
        insert.BindUtf8Text(2, Encoding.UTF8.GetBytes("{\"station\":\"Prüfstand ✓\"}"));
        insert.Execute();
        insert.Bind(1, 2);
        insert.BindText(2, "{\"station\":\"Prüfstand ✓\"}".AsSpan());
        insert.Execute();

        Assert.Equal(1L, Scalar("SELECT count(DISTINCT name) FROM item;"));
        Assert.Equal("Prüfstand ✓", Scalar("SELECT DISTINCT json_extract(name, '$.station') FROM item;"));
    }

    [Fact]
    public void Null_numbers_reals_and_blobs_read_back_as_written()
    {
        using (var insert = new SqliteStatement(_connection, "INSERT INTO item (id, number, name, data, ratio) VALUES ($id, $number, $name, $data, $ratio);"))
        {
            insert.Bind(1, 1);
            insert.Bind(2, long.MinValue);
            insert.Bind(3, (string?)null);
            insert.BindBlob(4, [0, 1, 255]);
            insert.Bind(5, 0.25);
            insert.Execute();
            insert.Bind(1, 2);
            insert.Bind(2, (long?)null);
            insert.BindNull(3);
            insert.BindBlob(4, []);
            insert.Bind(5, -1.5);
            insert.Execute();
        }

        using var select = new SqliteStatement(_connection, "SELECT number, name, data, ratio, typeof(data) FROM item ORDER BY id;");
        Assert.True(select.Step());
        Assert.Equal(long.MinValue, select.GetInt64(0));
        Assert.True(select.IsNull(1));
        Assert.Null(select.GetString(1));
        Assert.Equal(new byte[] { 0, 1, 255 }, select.GetBytes(2).ToArray());
        Assert.Equal(0.25, select.GetDouble(3));
        Assert.True(select.Step());
        Assert.True(select.IsNull(0));
        Assert.Empty(select.GetBytes(2).ToArray());
        Assert.Equal("blob", select.GetString(4));
        Assert.Equal(-1.5, select.GetDouble(3));
        Assert.False(select.Step());
        select.Reset();
    }

    [Fact]
    public void A_reset_statement_runs_again_with_new_values_and_none_left_from_before()
    {
        using var insert = new SqliteStatement(_connection, "INSERT INTO item (id, number, name) VALUES ($id, $number, $name) RETURNING id;");
        insert.Bind(1, 7);
        insert.Bind(2, 70);
        insert.Bind(3, "first");
        Assert.True(insert.Step());
        Assert.Equal(7, insert.GetInt64(0));
        insert.Reset();
        insert.Bind(1, 8);
        Assert.True(insert.Step());
        insert.Reset();

        Assert.Equal(2L, Scalar("SELECT count(*) FROM item;"));
        Assert.Equal(DBNull.Value, Scalar("SELECT number FROM item WHERE id = 8;"));
        Assert.Equal(DBNull.Value, Scalar("SELECT name FROM item WHERE id = 8;"));
    }

    [Fact]
    public void Execute_counts_the_rows_changed()
    {
        Run("INSERT INTO item (id, number) VALUES (1, 1), (2, 1), (3, 2);");
        using var delete = new SqliteStatement(_connection, "DELETE FROM item WHERE number = $number;");
        delete.Bind(1, 1);

        Assert.Equal(2, delete.Execute());
        delete.Bind(1, 5);
        Assert.Equal(0, delete.Execute());
    }

    [Fact]
    public void A_failing_statement_throws_SQLites_message_and_can_run_again()
    {
        Run("INSERT INTO item (id) VALUES (1);");
        using var insert = new SqliteStatement(_connection, "INSERT INTO item (id) VALUES ($id);");
        insert.Bind(1, 1);

        var error = Assert.Throws<SqliteException>(() => insert.Execute());
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(1555, error.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_PRIMARYKEY
        Assert.Contains("UNIQUE constraint failed: item.id", error.Message, StringComparison.Ordinal);

        insert.Bind(1, 2);
        Assert.Equal(1, insert.Execute());
    }

    [Fact]
    public void SQL_SQLite_cannot_prepare_is_refused_with_its_message()
    {
        var error = Assert.Throws<SqliteException>(() => new SqliteStatement(_connection, "SELECT missing FROM nowhere;"));
        Assert.Contains("no such table: nowhere", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SqliteStatement(_connection, "SELECT 1; SELECT 2;"));
    }

    [Fact]
    public void A_statement_takes_part_in_the_connections_transaction()
    {
        using var insert = new SqliteStatement(_connection, "INSERT INTO item (id, name) VALUES ($id, $name);");
        using (var transaction = _connection.BeginTransaction())
        {
            insert.Bind(1, 1);
            insert.Bind(2, "rolled back");
            insert.Execute();
            Assert.Equal(1L, Scalar("SELECT count(*) FROM item;", transaction));
            transaction.Rollback();
        }

        Assert.Equal(0L, Scalar("SELECT count(*) FROM item;"));
        using (var transaction = _connection.BeginTransaction())
        {
            insert.Bind(1, 2);
            insert.Bind(2, "committed");
            insert.Execute();
            transaction.Commit();
        }

        Assert.Equal("committed", Scalar("SELECT name FROM item;"));
    }

    [Fact]
    public void A_reset_select_holds_no_read_open_that_would_keep_the_file_from_a_checkpoint()
    {
        Run("PRAGMA journal_mode = WAL; INSERT INTO item (id) VALUES (1), (2);");
        using var select = new SqliteStatement(_connection, "SELECT id FROM item;");
        Assert.True(select.Step());
        select.Reset();
        using (var writer = new SqliteConnection($"Data Source={_directory.DatabasePath};Pooling=False"))
        {
            writer.Open();
            using var command = writer.CreateCommand();
            command.CommandText = "INSERT INTO item (id) VALUES (3);";
            command.ExecuteNonQuery();
        }

        // A read still open would pin the WAL: a TRUNCATE checkpoint reports itself busy (first column 1).
        using var checkpoint = new SqliteStatement(_connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        Assert.True(checkpoint.Step());
        Assert.Equal(0, checkpoint.GetInt64(0));
        checkpoint.Reset();
    }

    [Fact]
    public void Binding_numbers_and_text_and_running_allocates_nothing()
    {
        using var insert = new SqliteStatement(_connection, "INSERT INTO item (id, number, name) VALUES ($id, $number, $name) ON CONFLICT DO NOTHING;");
        var name = "Prüfstand ✓";
        Span<char> formatted = stackalloc char[36];
        Guid.NewGuid().TryFormat(formatted, out _, "D");
        for (var round = 0; round < 2; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var id = 0; id < 100; id++)
            {
                insert.Bind(1, id);
                insert.Bind(2, id * 10L);
                insert.Bind(3, id % 2 == 0 ? name : "");
                insert.Execute();
                insert.Bind(1, id);
                insert.BindText(3, formatted);
                insert.Execute();
            }

            // The first round may warm up the runtime; the second must allocate nothing.
            if (round == 1)
            {
                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }
    }

    [Fact]
    public void Statements_prepared_on_a_connection_are_its_own_and_finalized_when_it_closes()
    {
        using var other = new SqliteConnection($"Data Source={_directory.DatabasePath};Pooling=False");
        other.Open();

        var first = PreparedStatements.On(_connection, c => new Prepared(c));
        Assert.Same(first, PreparedStatements.On(_connection, c => new Prepared(c)));
        var others = PreparedStatements.On(other, c => new Prepared(c));
        Assert.NotSame(first, others);

        other.Close();
        Assert.True(others.Disposed);
        Assert.False(first.Disposed);
        other.Open();
        Assert.NotSame(others, PreparedStatements.On(other, c => new Prepared(c)));
    }

    private void Run(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql, SqliteTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private sealed class Prepared(SqliteConnection connection) : IDisposable
    {
        private readonly SqliteStatement _count = new(connection, "SELECT count(*) FROM item;");

        public bool Disposed { get; private set; }

        public void Dispose()
        {
            _count.Dispose();
            Disposed = true;
        }
    }
}
