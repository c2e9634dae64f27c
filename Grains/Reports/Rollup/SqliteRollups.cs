using System.Globalization;
using System.Text.Json;
using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Storage;
using MesOrleans.Time;
using Microsoft.Data.Sqlite;

namespace MesOrleans.Reports.Rollup;

/// <summary>
/// Rollups in <c>mes.db</c>, beside the event log: read on the file's reader connections, written by the projector
/// on the one write connection within the transaction that appends the events (<see cref="Session"/>).
/// </summary>
internal sealed class SqliteRollups(MesDatabase database) : IRollupReader, IRollupStore
{
    public Task<T> WriteAsync<T>(Func<IRollupSession, Task<T>> work, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => work(Session(connection, transaction)), cancellationToken);

    public async Task<IReadOnlyList<string>> BehindAsync(IReadOnlyCollection<string> machineIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT m.value FROM json_each($machines) AS m
            WHERE (SELECT coalesce(max(machine_seq), 0) FROM machine_event WHERE machine_id = m.value)
                > coalesce((SELECT last_seq FROM report_cursor WHERE machine_id = m.value), 0);
            """;
        command.Parameters.AddWithValue("$machines", JsonSerializer.Serialize(machineIds));
        var behind = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            behind.Add(reader.GetString(0));
        }

        return behind;
    }

    public async Task<IReadOnlyList<FiledTime>> TimeAsync(IReadOnlyCollection<string> scopes, DateOnly first, DateOnly last, string? shift, string? product, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = CellQuery(connection, "report_time", RollupRows.TimeColumns, scopes, first, last, shift, product);
        return await RollupRows.ReadTimeAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<FiledCount>> CountsAsync(IReadOnlyCollection<string> scopes, DateOnly first, DateOnly last, string? shift, string? product, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = CellQuery(connection, "report_count", RollupRows.CountColumns, scopes, first, last, shift, product);
        return await RollupRows.ReadCountsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<DateOnly, string>> LayoutsAsync(string site, DateOnly first, DateOnly last, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT day, layout FROM report_day WHERE site = $site AND day BETWEEN $first AND $last;";
        command.Parameters.AddWithValue("$site", site);
        command.Parameters.AddWithValue("$first", first.DayNumber);
        command.Parameters.AddWithValue("$last", last.DayNumber);
        return await RollupRows.ReadLayoutsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RollupCursor>> CursorsAsync(string scope, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RollupRows.CursorColumns} FROM report_cursor WHERE machine_id = $scope OR (machine_id >= $prefix AND machine_id < $after);";
        command.Parameters.AddWithValue("$scope", scope);
        command.Parameters.AddWithValue("$prefix", scope + "/");
        command.Parameters.AddWithValue("$after", scope + "0"); // '0' follows '/'
        return await RollupRows.ReadCursorsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RollupPiece>> PiecesAsync(IReadOnlyCollection<string> machineIds, TimeRange range, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // Pieces of a machine never overlap: the last one starting at or before the range's start, and those after it.
        command.CommandText =
            $"""
            SELECT {Qualified("p")} FROM json_each($machines) AS m
            JOIN report_piece AS p ON p.machine_id = m.value
             AND p.start_ts >= coalesce((SELECT max(q.start_ts) FROM report_piece AS q WHERE q.machine_id = m.value AND q.start_ts <= $from), $from)
             AND p.start_ts < $to
            WHERE p.end_ts > $from
            ORDER BY p.machine_id, p.start_ts;
            """;
        command.Parameters.AddWithValue("$machines", JsonSerializer.Serialize(machineIds));
        command.Parameters.AddWithValue("$from", range.Start.UtcTicks);
        command.Parameters.AddWithValue("$to", range.End.UtcTicks);
        return await RollupRows.ReadPiecesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RollupPiece>> StopPiecesAsync(string machineId, IReadOnlyCollection<Guid> stopIds, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RollupRows.PieceColumns} FROM report_piece WHERE machine_id = $machine AND stop_id IN (SELECT value FROM json_each($stops)) ORDER BY start_ts;";
        command.Parameters.AddWithValue("$machine", machineId);
        command.Parameters.AddWithValue("$stops", JsonSerializer.Serialize(stopIds.Select(FormatId)));
        return await RollupRows.ReadPiecesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RawCount>> RawCountsAsync(IReadOnlyCollection<string> machineIds, TimeRange range, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            WITH part(machine_id, reason, product, total, scrap, entries, ideal, ideal_good, unvalued, unvalued_good) AS (
                SELECT e.machine_id, coalesce(e.reason_code, ''), coalesce(e.part_number, ''), e.total_delta, e.scrap_delta, e.scrap_delta > 0,
                       coalesce(e.ideal_cycle_time * e.total_delta, 0), coalesce(e.ideal_cycle_time * (e.total_delta - e.scrap_delta), 0),
                       iif(e.ideal_cycle_time IS NULL, e.total_delta, 0), iif(e.ideal_cycle_time IS NULL, e.total_delta - e.scrap_delta, 0)
                FROM json_each($machines) AS m
                JOIN machine_event AS e ON e.machine_id = m.value AND e.ts >= $from AND e.ts < $to AND e.kind = 'Counted'
                WHERE NOT EXISTS (SELECT 1 FROM machine_event AS v WHERE v.refers_to = e.id AND v.kind = 'Voided')
                UNION ALL
                SELECT e.machine_id, coalesce(e.reason_code, ''), coalesce(e.part_number, ''), 0, e.scrap_delta, 1, 0, 0, 0, 0
                FROM json_each($machines) AS m
                JOIN machine_event AS e ON e.machine_id = m.value AND e.ts >= $from AND e.ts < $to AND e.kind = 'ScrapReasoned' AND e.scrap_delta > 0
                UNION ALL
                SELECT e.machine_id, '', coalesce(e.part_number, ''), 0, -e.scrap_delta, 0, 0, 0, 0, 0
                FROM json_each($machines) AS m
                JOIN machine_event AS e ON e.machine_id = m.value AND e.ts >= $from AND e.ts < $to AND e.kind = 'ScrapReasoned' AND e.scrap_delta > 0
            )
            SELECT machine_id, reason, product, sum(total), sum(scrap), sum(entries), sum(ideal), sum(ideal_good), sum(unvalued), sum(unvalued_good)
            FROM part
            GROUP BY machine_id, reason, product;
            """;
        command.Parameters.AddWithValue("$machines", JsonSerializer.Serialize(machineIds));
        command.Parameters.AddWithValue("$from", range.Start.UtcTicks);
        command.Parameters.AddWithValue("$to", range.End.UtcTicks);
        return await RollupRows.ReadRawCountsAsync(command, cancellationToken);
    }

    /// <summary>The projector's view of the store within the write transaction that appends the events.</summary>
    public static IRollupSession Session(SqliteConnection connection, SqliteTransaction transaction) => new WriteSession(connection, transaction);

    private static SqliteCommand CellQuery(
        SqliteConnection connection, string table, string columns, IReadOnlyCollection<string> scopes, DateOnly first, DateOnly last, string? shift, string? product)
    {
        var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT {columns} FROM {table}
            WHERE scope IN (SELECT value FROM json_each($scopes)) AND day BETWEEN $first AND $last
              AND ($shift IS NULL OR (shift_start <> 0 AND shift_name = $shift)) AND ($product IS NULL OR product = $product);
            """;
        command.Parameters.AddWithValue("$scopes", JsonSerializer.Serialize(scopes));
        command.Parameters.AddWithValue("$first", first.DayNumber);
        command.Parameters.AddWithValue("$last", last.DayNumber);
        command.Parameters.AddWithValue("$shift", (object?)shift ?? DBNull.Value);
        command.Parameters.AddWithValue("$product", (object?)product ?? DBNull.Value);
        return command;
    }

    private static string Qualified(string alias) => string.Join(", ", RollupRows.PieceColumns.Split(", ").Select(c => $"{alias}.{c}"));

    private static string FormatId(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    private sealed class WriteSession(SqliteConnection connection, SqliteTransaction transaction) : IRollupSession
    {
        private readonly WriteStatements _statements = PreparedStatements.On(connection, static c => new WriteStatements(c));

        public Task<IReadOnlyDictionary<string, RollupCursor>> CursorsAsync(IReadOnlyCollection<string> machineIds)
        {
            var select = _statements.Cursors;
            select.BindUtf8Text(1, _statements.Json.Write(machineIds));
            var cursors = select.ReadAll(static row => RollupRows.Cursor(
                row.GetString(0)!,
                row.GetInt64(1),
                row.IsNull(2) ? null : row.GetInt64(2),
                JsonSerializer.Deserialize<List<MachineEvent>>(row.GetBytes(3), RollupRows.OpenStopJson),
                row.GetInt64(4),
                row.GetInt64(5)));
            return Task.FromResult<IReadOnlyDictionary<string, RollupCursor>>(cursors.ToDictionary(c => c.MachineId));
        }

        public async Task<IReadOnlyList<MachineEvent>> EventsAfterAsync(string machineId, long afterSequence, int max)
        {
            await using var command = Command($"SELECT {MachineEventRows.Columns} FROM machine_event WHERE machine_id = $machine AND machine_seq > $after ORDER BY machine_seq LIMIT $max;");
            command.Parameters.AddWithValue("$machine", machineId);
            command.Parameters.AddWithValue("$after", afterSequence);
            command.Parameters.AddWithValue("$max", max);
            return await MachineEventRows.ReadAsync(command, CancellationToken.None);
        }

        public async Task<IReadOnlyList<MachineEvent>> TimelineAsync(string machineId, DateTimeOffset from, DateTimeOffset through)
        {
            await using var command = Command(
                $"""
                WITH picked(seq, id) AS (
                    SELECT seq, id FROM machine_event
                    WHERE machine_id = $machine AND kind = 'StateChanged' AND ts >= $from AND ts <= $through
                    UNION
                    SELECT seq, id FROM (
                        SELECT seq, id FROM machine_event
                        WHERE machine_id = $machine AND kind = 'StateChanged' AND ts < $from
                        ORDER BY ts DESC, machine_seq DESC LIMIT 1)
                )
                SELECT {MachineEventRows.Columns} FROM machine_event
                WHERE seq IN (SELECT seq FROM picked)
                   OR (refers_to IN (SELECT id FROM picked) AND kind IN ('StopRecoded', 'StopSplit'))
                ORDER BY ts, machine_seq;
                """);
            command.Parameters.AddWithValue("$machine", machineId);
            command.Parameters.AddWithValue("$from", from.UtcTicks);
            command.Parameters.AddWithValue("$through", through.UtcTicks);
            return await MachineEventRows.ReadAsync(command, CancellationToken.None);
        }

        public async Task<MachineEvent?> EventAsync(string machineId, Guid id)
        {
            await using var command = Command($"SELECT {MachineEventRows.Columns} FROM machine_event WHERE id = $id AND machine_id = $machine;");
            command.Parameters.AddWithValue("$id", FormatId(id));
            command.Parameters.AddWithValue("$machine", machineId);
            return (await MachineEventRows.ReadAsync(command, CancellationToken.None)).SingleOrDefault();
        }

        public async Task<bool> VoidedBeforeAsync(string machineId, Guid entryId, long beforeSequence)
        {
            await using var command = Command(
                "SELECT EXISTS (SELECT 1 FROM machine_event WHERE refers_to = $entry AND kind = 'Voided' AND machine_id = $machine AND machine_seq < $before);");
            command.Parameters.AddWithValue("$entry", FormatId(entryId));
            command.Parameters.AddWithValue("$machine", machineId);
            command.Parameters.AddWithValue("$before", beforeSequence);
            return (long)(await command.ExecuteScalarAsync())! != 0;
        }

        public async Task<IReadOnlyList<RollupPiece>> PiecesAsync(string machineId, TimeRange starts)
        {
            await using var command = Command($"SELECT {RollupRows.PieceColumns} FROM report_piece WHERE machine_id = $machine AND start_ts >= $from AND start_ts < $to ORDER BY start_ts;");
            command.Parameters.AddWithValue("$machine", machineId);
            command.Parameters.AddWithValue("$from", starts.Start.UtcTicks);
            command.Parameters.AddWithValue("$to", starts.End.UtcTicks);
            return await RollupRows.ReadPiecesAsync(command);
        }

        public async Task<RollupPiece?> PieceAtAsync(string machineId, DateTimeOffset at)
        {
            await using var command = Command($"SELECT {RollupRows.PieceColumns} FROM report_piece WHERE machine_id = $machine AND start_ts <= $at ORDER BY start_ts DESC LIMIT 1;");
            command.Parameters.AddWithValue("$machine", machineId);
            command.Parameters.AddWithValue("$at", at.UtcTicks);
            return (await RollupRows.ReadPiecesAsync(command)).SingleOrDefault(p => p.Range.Contains(at));
        }

        public async Task<RollupPiece?> PieceOfStopAsync(string machineId, Guid stopId)
        {
            await using var command = Command($"SELECT {RollupRows.PieceColumns} FROM report_piece WHERE machine_id = $machine AND stop_id = $stop LIMIT 1;");
            command.Parameters.AddWithValue("$machine", machineId);
            command.Parameters.AddWithValue("$stop", FormatId(stopId));
            return (await RollupRows.ReadPiecesAsync(command)).SingleOrDefault();
        }

        public Task<IReadOnlyDictionary<DateOnly, string>> LayoutsAsync(string site, IReadOnlyCollection<DateOnly> days)
        {
            var select = _statements.Layouts;
            select.Bind(1, site);
            select.BindUtf8Text(2, _statements.Json.Write(days.Select(d => d.DayNumber)));
            var layouts = select.ReadAll(static row => (Day: DateOnly.FromDayNumber((int)row.GetInt64(0)), Layout: row.GetString(1)!));
            return Task.FromResult<IReadOnlyDictionary<DateOnly, string>>(layouts.ToDictionary(l => l.Day, l => l.Layout));
        }

        public Task WriteAsync(RollupChange change)
        {
            DropPieces(change);
            AddPieces(change);
            WriteTime(change);
            WriteCounts(change);
            WriteCursors(change);
            var insert = _statements.Day;
            foreach (var ((site, day), layout) in change.NewDays)
            {
                insert.Bind(1, site);
                insert.Bind(2, day.DayNumber);
                insert.Bind(3, layout);
                insert.Execute();
            }

            return Task.CompletedTask;
        }

        private void DropPieces(RollupChange change)
        {
            var delete = _statements.DropPieces;
            foreach (var (machine, starts) in change.DroppedPieces)
            {
                delete.Bind(1, machine);
                delete.Bind(2, starts.Start.UtcTicks);
                delete.Bind(3, starts.End.UtcTicks);
                delete.Execute();
            }
        }

        private void AddPieces(RollupChange change)
        {
            var insert = _statements.AddPiece;
            foreach (var p in change.AddedPieces)
            {
                insert.Bind(1, p.MachineId);
                insert.Bind(2, p.Range.Start.UtcTicks);
                insert.Bind(3, p.Range.End.UtcTicks);
                insert.Bind(4, EnumNames<MachineState>.Of(p.State));
                insert.Bind(5, p.Reason);
                insert.Bind(6, p.Product);
                insert.Bind(7, p.StopId);
                insert.Bind(8, p.Stop.Start.UtcTicks);
                insert.Bind(9, p.Stop.End.UtcTicks);
                insert.Bind(10, p.CountedAt?.UtcTicks);
                insert.Execute();
            }
        }

        private void WriteTime(RollupChange change)
        {
            var upsert = _statements.TimeUpsert;
            var emptied = _statements.TimeEmptied;
            foreach (var (key, amount) in change.TimeToWrite)
            {
                BindTimeCell(upsert, key);
                upsert.Bind(9, change.ShiftNames[(Site(key.Scope), key.Segment)]);
                upsert.Bind(10, amount.Ticks);
                upsert.Bind(11, amount.Stops);
                upsert.Bind(12, amount.Cycles);
                upsert.Execute();
                if (amount.Ticks < 0 || amount.Stops < 0)
                {
                    BindTimeCell(emptied, key);
                    emptied.Execute();
                }
            }
        }

        private void WriteCounts(RollupChange change)
        {
            var upsert = _statements.CountUpsert;
            foreach (var (key, amount) in change.CountsToWrite)
            {
                upsert.Bind(1, key.Scope);
                upsert.Bind(2, key.Segment.Day.DayNumber);
                upsert.Bind(3, key.Segment.ShiftStart);
                upsert.Bind(4, (int)key.Segment.Kind);
                upsert.Bind(5, key.Reason);
                upsert.Bind(6, key.Product);
                upsert.Bind(7, change.ShiftNames[(Site(key.Scope), key.Segment)]);
                upsert.Bind(8, amount.Total);
                upsert.Bind(9, amount.Scrap);
                upsert.Bind(10, amount.ScrapEntries);
                upsert.Bind(11, amount.IdealTicks);
                upsert.Bind(12, amount.IdealGoodTicks);
                upsert.Bind(13, amount.UnvaluedTotal);
                upsert.Bind(14, amount.UnvaluedGood);
                upsert.Execute();
            }
        }

        private void WriteCursors(RollupChange change)
        {
            var upsert = _statements.CursorUpsert;
            foreach (var cursor in change.Cursors.Values)
            {
                upsert.Bind(1, cursor.MachineId);
                upsert.Bind(2, cursor.LastSequence);
                upsert.Bind(3, cursor.MonitoredSince?.UtcTicks);
                upsert.BindUtf8Text(4, _statements.OpenStopJson.Write(cursor.OpenStop));
                upsert.Bind(5, cursor.Settings.IdealCycleTime.Ticks);
                upsert.Bind(6, cursor.Settings.MicroStopThreshold.Ticks);
                upsert.Execute();
            }
        }

        // The upsert of a time cell and the delete of an emptied one take the cell's key first, in the same order.
        private static void BindTimeCell(SqliteStatement statement, TimeCellKey key)
        {
            statement.Bind(1, key.Scope);
            statement.Bind(2, key.Segment.Day.DayNumber);
            statement.Bind(3, key.Segment.ShiftStart);
            statement.Bind(4, (int)key.Segment.Kind);
            statement.Bind(5, EnumNames<MachineState>.Of(key.State));
            statement.Bind(6, key.Reason);
            statement.Bind(7, key.Minor ? 1 : 0);
            statement.Bind(8, key.Product);
        }

        private SqliteCommand Command(string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return command;
        }

        private static string Site(string scope) => scope.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? scope[..slash] : scope;
    }

    /// <summary>
    /// The statements the projector runs for every append, prepared once on the write connection and run through
    /// SQLite's API, where a command's parameters would allocate per value.
    /// </summary>
    private sealed class WriteStatements(SqliteConnection connection) : IDisposable
    {
        public SqliteStatement Cursors { get; } = new(connection, $"SELECT {RollupRows.CursorColumns} FROM report_cursor WHERE machine_id IN (SELECT value FROM json_each($machines));");

        public SqliteStatement Layouts { get; } = new(connection, "SELECT day, layout FROM report_day WHERE site = $site AND day IN (SELECT value FROM json_each($days));");

        public SqliteStatement DropPieces { get; } = new(connection, "DELETE FROM report_piece WHERE machine_id = $machine AND start_ts >= $from AND start_ts < $to;");

        public SqliteStatement AddPiece { get; } = new(
            connection,
            $"INSERT INTO report_piece ({RollupRows.PieceColumns}) VALUES ($machine, $start, $end, $state, $reason, $product, $stop, $stopStart, $stopEnd, $countedAt);");

        public SqliteStatement TimeUpsert { get; } = new(
            connection,
            $"""
            INSERT INTO report_time ({RollupRows.TimeColumns}) VALUES ($scope, $day, $shiftStart, $kind, $state, $reason, $minor, $product, $shiftName, $ticks, $stops, $cycles)
            ON CONFLICT DO UPDATE SET ticks = ticks + excluded.ticks, stops = stops + excluded.stops, cycles = cycles + excluded.cycles;
            """);

        public SqliteStatement TimeEmptied { get; } = new(
            connection,
            """
            DELETE FROM report_time WHERE scope = $scope AND day = $day AND shift_start = $shiftStart AND kind = $kind AND state = $state
              AND reason = $reason AND minor = $minor AND product = $product AND ticks = 0 AND stops = 0;
            """);

        public SqliteStatement CountUpsert { get; } = new(
            connection,
            $"""
            INSERT INTO report_count ({RollupRows.CountColumns}) VALUES ($scope, $day, $shiftStart, $kind, $reason, $product, $shiftName, $total, $scrap, $entries, $ideal, $idealGood, $unvalued, $unvaluedGood)
            ON CONFLICT DO UPDATE SET total = total + excluded.total, scrap = scrap + excluded.scrap, scrap_entries = scrap_entries + excluded.scrap_entries,
              ideal_ticks = ideal_ticks + excluded.ideal_ticks, ideal_good_ticks = ideal_good_ticks + excluded.ideal_good_ticks,
              unvalued_total = unvalued_total + excluded.unvalued_total, unvalued_good = unvalued_good + excluded.unvalued_good;
            """);

        public SqliteStatement CursorUpsert { get; } = new(
            connection,
            $"""
            INSERT INTO report_cursor ({RollupRows.CursorColumns}) VALUES ($machine, $last, $since, $open, $cycle, $micro)
            ON CONFLICT (machine_id) DO UPDATE SET last_seq = excluded.last_seq, monitored_since = excluded.monitored_since, open_stop = excluded.open_stop,
              ideal_cycle_ticks = excluded.ideal_cycle_ticks, micro_stop_ticks = excluded.micro_stop_ticks;
            """);

        public SqliteStatement Day { get; } = new(connection, "INSERT INTO report_day (site, day, layout) VALUES ($site, $day, $layout) ON CONFLICT DO NOTHING;");

        /// <summary>Lists of machines and of days, as <see cref="JsonSerializer"/> writes them by default.</summary>
        public Utf8Json Json { get; } = new(JsonSerializerOptions.Default);

        public Utf8Json OpenStopJson { get; } = new(RollupRows.OpenStopJson);

        public void Dispose()
        {
            foreach (var statement in new[] { Cursors, Layouts, DropPieces, AddPiece, TimeUpsert, TimeEmptied, CountUpsert, CursorUpsert, Day })
            {
                statement.Dispose();
            }
        }
    }
}
