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
        public async Task<IReadOnlyDictionary<string, RollupCursor>> CursorsAsync(IReadOnlyCollection<string> machineIds)
        {
            await using var command = Command($"SELECT {RollupRows.CursorColumns} FROM report_cursor WHERE machine_id IN (SELECT value FROM json_each($machines));");
            command.Parameters.AddWithValue("$machines", JsonSerializer.Serialize(machineIds));
            return (await RollupRows.ReadCursorsAsync(command)).ToDictionary(c => c.MachineId);
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

        public async Task<IReadOnlyDictionary<DateOnly, string>> LayoutsAsync(string site, IReadOnlyCollection<DateOnly> days)
        {
            await using var command = Command("SELECT day, layout FROM report_day WHERE site = $site AND day IN (SELECT value FROM json_each($days));");
            command.Parameters.AddWithValue("$site", site);
            command.Parameters.AddWithValue("$days", JsonSerializer.Serialize(days.Select(d => d.DayNumber)));
            return await RollupRows.ReadLayoutsAsync(command);
        }

        public async Task WriteAsync(RollupChange change)
        {
            await DropPiecesAsync(change);
            await AddPiecesAsync(change);
            await WriteTimeAsync(change);
            await WriteCountsAsync(change);
            await WriteCursorsAsync(change);
            foreach (var ((site, day), layout) in change.NewDays)
            {
                await using var command = Command("INSERT INTO report_day (site, day, layout) VALUES ($site, $day, $layout) ON CONFLICT DO NOTHING;");
                command.Parameters.AddWithValue("$site", site);
                command.Parameters.AddWithValue("$day", day.DayNumber);
                command.Parameters.AddWithValue("$layout", layout);
                await command.ExecuteNonQueryAsync();
            }
        }

        private async Task DropPiecesAsync(RollupChange change)
        {
            foreach (var (machine, starts) in change.DroppedPieces)
            {
                await using var command = Command("DELETE FROM report_piece WHERE machine_id = $machine AND start_ts >= $from AND start_ts < $to;");
                command.Parameters.AddWithValue("$machine", machine);
                command.Parameters.AddWithValue("$from", starts.Start.UtcTicks);
                command.Parameters.AddWithValue("$to", starts.End.UtcTicks);
                await command.ExecuteNonQueryAsync();
            }
        }

        private async Task AddPiecesAsync(RollupChange change)
        {
            if (change.AddedPieces.Count == 0)
            {
                return;
            }

            await using var command = Command(
                $"INSERT INTO report_piece ({RollupRows.PieceColumns}) VALUES ($machine, $start, $end, $state, $reason, $product, $stop, $stopStart, $stopEnd, $countedAt);");
            var machine = command.Parameters.Add("$machine", SqliteType.Text);
            var start = command.Parameters.Add("$start", SqliteType.Integer);
            var end = command.Parameters.Add("$end", SqliteType.Integer);
            var state = command.Parameters.Add("$state", SqliteType.Text);
            var reason = command.Parameters.Add("$reason", SqliteType.Text);
            var product = command.Parameters.Add("$product", SqliteType.Text);
            var stop = command.Parameters.Add("$stop", SqliteType.Text);
            var stopStart = command.Parameters.Add("$stopStart", SqliteType.Integer);
            var stopEnd = command.Parameters.Add("$stopEnd", SqliteType.Integer);
            var countedAt = command.Parameters.Add("$countedAt", SqliteType.Integer);
            command.Prepare();
            foreach (var p in change.AddedPieces)
            {
                machine.Value = p.MachineId;
                start.Value = p.Range.Start.UtcTicks;
                end.Value = p.Range.End.UtcTicks;
                state.Value = p.State.ToString();
                reason.Value = p.Reason;
                product.Value = p.Product;
                stop.Value = FormatId(p.StopId);
                stopStart.Value = p.Stop.Start.UtcTicks;
                stopEnd.Value = p.Stop.End.UtcTicks;
                countedAt.Value = p.CountedAt is { } at ? at.UtcTicks : DBNull.Value;
                await command.ExecuteNonQueryAsync();
            }
        }

        private async Task WriteTimeAsync(RollupChange change)
        {
            await using var upsert = Command(
                $"""
                INSERT INTO report_time ({RollupRows.TimeColumns}) VALUES ($scope, $day, $shiftStart, $kind, $state, $reason, $minor, $product, $shiftName, $ticks, $stops, $cycles)
                ON CONFLICT DO UPDATE SET ticks = ticks + excluded.ticks, stops = stops + excluded.stops, cycles = cycles + excluded.cycles;
                """);
            await using var empty = Command(
                """
                DELETE FROM report_time WHERE scope = $scope AND day = $day AND shift_start = $shiftStart AND kind = $kind AND state = $state
                  AND reason = $reason AND minor = $minor AND product = $product AND ticks = 0 AND stops = 0;
                """);
            foreach (var (key, amount) in change.TimeToWrite)
            {
                foreach (var command in amount.Ticks < 0 || amount.Stops < 0 ? [upsert, empty] : new[] { upsert })
                {
                    command.Parameters.Clear();
                    command.Parameters.AddWithValue("$scope", key.Scope);
                    command.Parameters.AddWithValue("$day", key.Segment.Day.DayNumber);
                    command.Parameters.AddWithValue("$shiftStart", key.Segment.ShiftStart);
                    command.Parameters.AddWithValue("$kind", (int)key.Segment.Kind);
                    command.Parameters.AddWithValue("$state", key.State.ToString());
                    command.Parameters.AddWithValue("$reason", key.Reason);
                    command.Parameters.AddWithValue("$minor", key.Minor ? 1 : 0);
                    command.Parameters.AddWithValue("$product", key.Product);
                    if (command == upsert)
                    {
                        command.Parameters.AddWithValue("$shiftName", change.ShiftNames[(Site(key.Scope), key.Segment)]);
                        command.Parameters.AddWithValue("$ticks", amount.Ticks);
                        command.Parameters.AddWithValue("$stops", amount.Stops);
                        command.Parameters.AddWithValue("$cycles", amount.Cycles);
                    }

                    await command.ExecuteNonQueryAsync();
                }
            }
        }

        private async Task WriteCountsAsync(RollupChange change)
        {
            await using var upsert = Command(
                $"""
                INSERT INTO report_count ({RollupRows.CountColumns}) VALUES ($scope, $day, $shiftStart, $kind, $reason, $product, $shiftName, $total, $scrap, $entries, $ideal, $idealGood, $unvalued, $unvaluedGood)
                ON CONFLICT DO UPDATE SET total = total + excluded.total, scrap = scrap + excluded.scrap, scrap_entries = scrap_entries + excluded.scrap_entries,
                  ideal_ticks = ideal_ticks + excluded.ideal_ticks, ideal_good_ticks = ideal_good_ticks + excluded.ideal_good_ticks,
                  unvalued_total = unvalued_total + excluded.unvalued_total, unvalued_good = unvalued_good + excluded.unvalued_good;
                """);
            foreach (var (key, amount) in change.CountsToWrite)
            {
                upsert.Parameters.Clear();
                upsert.Parameters.AddWithValue("$scope", key.Scope);
                upsert.Parameters.AddWithValue("$day", key.Segment.Day.DayNumber);
                upsert.Parameters.AddWithValue("$shiftStart", key.Segment.ShiftStart);
                upsert.Parameters.AddWithValue("$kind", (int)key.Segment.Kind);
                upsert.Parameters.AddWithValue("$reason", key.Reason);
                upsert.Parameters.AddWithValue("$product", key.Product);
                upsert.Parameters.AddWithValue("$shiftName", change.ShiftNames[(Site(key.Scope), key.Segment)]);
                upsert.Parameters.AddWithValue("$total", amount.Total);
                upsert.Parameters.AddWithValue("$scrap", amount.Scrap);
                upsert.Parameters.AddWithValue("$entries", amount.ScrapEntries);
                upsert.Parameters.AddWithValue("$ideal", amount.IdealTicks);
                upsert.Parameters.AddWithValue("$idealGood", amount.IdealGoodTicks);
                upsert.Parameters.AddWithValue("$unvalued", amount.UnvaluedTotal);
                upsert.Parameters.AddWithValue("$unvaluedGood", amount.UnvaluedGood);
                await upsert.ExecuteNonQueryAsync();
            }
        }

        private async Task WriteCursorsAsync(RollupChange change)
        {
            await using var upsert = Command(
                $"""
                INSERT INTO report_cursor ({RollupRows.CursorColumns}) VALUES ($machine, $last, $since, $open, $cycle, $micro)
                ON CONFLICT (machine_id) DO UPDATE SET last_seq = excluded.last_seq, monitored_since = excluded.monitored_since, open_stop = excluded.open_stop,
                  ideal_cycle_ticks = excluded.ideal_cycle_ticks, micro_stop_ticks = excluded.micro_stop_ticks;
                """);
            foreach (var cursor in change.Cursors.Values)
            {
                upsert.Parameters.Clear();
                upsert.Parameters.AddWithValue("$machine", cursor.MachineId);
                upsert.Parameters.AddWithValue("$last", cursor.LastSequence);
                upsert.Parameters.AddWithValue("$since", cursor.MonitoredSince is { } since ? since.UtcTicks : DBNull.Value);
                upsert.Parameters.AddWithValue("$open", RollupRows.WriteOpenStop(cursor.OpenStop));
                upsert.Parameters.AddWithValue("$cycle", cursor.Settings.IdealCycleTime.Ticks);
                upsert.Parameters.AddWithValue("$micro", cursor.Settings.MicroStopThreshold.Ticks);
                await upsert.ExecuteNonQueryAsync();
            }
        }

        private SqliteCommand Command(string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return command;
        }

        private static string Site(string scope) => scope.Split('/')[0];
    }
}
