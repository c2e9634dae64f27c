using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Time;
using Npgsql;
using NpgsqlTypes;

namespace MesOrleans.Reports.Rollup;

/// <summary>
/// Rollups in the cluster's PostgreSQL database, beside the event log. Silos file them in the transaction that appends
/// the events (<see cref="Session"/>); a machine's cursor row is locked for the transaction, so that two silos never file
/// the same events, and cells are written in one order, so that silos filing the same site's cells wait for each other
/// rather than deadlock. Web apps read them on their own connections.
/// </summary>
internal sealed class PostgresRollups(NpgsqlDataSource dataSource) : IRollupReader, IRollupStore
{
    public async Task<T> WriteAsync<T>(Func<IRollupSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(Session(connection, transaction));
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }

    public async Task<IReadOnlyList<string>> BehindAsync(IReadOnlyCollection<string> machineIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT m.id FROM unnest(@machines) AS m(id)
            WHERE (SELECT coalesce(max(machine_seq), 0) FROM mes_machine_event WHERE machine_id = m.id)
                > coalesce((SELECT last_seq FROM mes_report_cursor WHERE machine_id = m.id), 0);
            """);
        command.Parameters.AddWithValue("machines", machineIds.ToArray());
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
        await using var command = CellQuery("mes_report_time", RollupRows.TimeColumns, scopes, first, last, shift, product);
        return await RollupRows.ReadTimeAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<FiledCount>> CountsAsync(IReadOnlyCollection<string> scopes, DateOnly first, DateOnly last, string? shift, string? product, CancellationToken cancellationToken = default)
    {
        await using var command = CellQuery("mes_report_count", RollupRows.CountColumns, scopes, first, last, shift, product);
        return await RollupRows.ReadCountsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<DateOnly, string>> LayoutsAsync(string site, DateOnly first, DateOnly last, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT day, layout FROM mes_report_day WHERE site = @site AND day BETWEEN @first AND @last;");
        command.Parameters.AddWithValue("site", site);
        command.Parameters.AddWithValue("first", first.DayNumber);
        command.Parameters.AddWithValue("last", last.DayNumber);
        return await RollupRows.ReadLayoutsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RollupCursor>> CursorsAsync(string scope, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {RollupRows.CursorColumns} FROM mes_report_cursor WHERE (machine_id = @scope OR (machine_id >= @prefix AND machine_id < @after)) AND ideal_cycle_ticks >= 0;");
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("prefix", scope + "/");
        command.Parameters.AddWithValue("after", scope + "0"); // '0' follows '/'
        return await RollupRows.ReadCursorsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RollupPiece>> PiecesAsync(IReadOnlyCollection<string> machineIds, TimeRange range, CancellationToken cancellationToken = default)
    {
        // Pieces of a machine never overlap: the last one starting at or before the range's start, and those starting
        // after it within the range. Two ranges of the key per machine: asked as one range from a start it could not
        // estimate, the planner scanned the whole table instead (300 ms for a year of 200 machines, 8 ms this way).
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Qualified("p")} FROM unnest(@machines) AS m(id)
            CROSS JOIN LATERAL (
                (SELECT {RollupRows.PieceColumns} FROM mes_report_piece WHERE machine_id = m.id AND start_ts <= @from AND start_ts < @to ORDER BY start_ts DESC LIMIT 1)
                UNION ALL
                (SELECT {RollupRows.PieceColumns} FROM mes_report_piece WHERE machine_id = m.id AND start_ts > @from AND start_ts < @to)
            ) AS p
            WHERE p.end_ts > @from
            ORDER BY p.machine_id, p.start_ts;
            """);
        command.Parameters.AddWithValue("machines", machineIds.ToArray());
        command.Parameters.AddWithValue("from", range.Start.UtcTicks);
        command.Parameters.AddWithValue("to", range.End.UtcTicks);
        return await RollupRows.ReadPiecesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RollupPiece>> StopPiecesAsync(string machineId, IReadOnlyCollection<Guid> stopIds, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RollupRows.PieceColumns} FROM mes_report_piece WHERE machine_id = @machine AND stop_id = ANY(@stops) ORDER BY start_ts;");
        command.Parameters.AddWithValue("machine", machineId);
        command.Parameters.AddWithValue("stops", stopIds.ToArray());
        return await RollupRows.ReadPiecesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RawCount>> RawCountsAsync(IReadOnlyCollection<string> machineIds, TimeRange range, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH part AS (
                SELECT e.machine_id, coalesce(e.reason_code, '') AS reason, coalesce(e.part_number, '') AS product,
                       e.total_delta AS total, e.scrap_delta AS scrap, (e.scrap_delta > 0)::int AS entries,
                       coalesce(e.ideal_cycle_time * e.total_delta, 0) AS ideal, coalesce(e.ideal_cycle_time * (e.total_delta - e.scrap_delta), 0) AS ideal_good,
                       CASE WHEN e.ideal_cycle_time IS NULL THEN e.total_delta ELSE 0 END AS unvalued,
                       CASE WHEN e.ideal_cycle_time IS NULL THEN e.total_delta - e.scrap_delta ELSE 0 END AS unvalued_good
                FROM mes_machine_event AS e
                WHERE e.machine_id = ANY(@machines) AND e.ts >= @from AND e.ts < @to AND e.kind = 'Counted'
                  AND NOT EXISTS (SELECT 1 FROM mes_machine_event AS v WHERE v.refers_to = e.id AND v.kind = 'Voided')
                UNION ALL
                SELECT e.machine_id, coalesce(e.reason_code, ''), coalesce(e.part_number, ''), 0, e.scrap_delta, 1, 0, 0, 0, 0
                FROM mes_machine_event AS e
                WHERE e.machine_id = ANY(@machines) AND e.ts >= @from AND e.ts < @to AND e.kind = 'ScrapReasoned' AND e.scrap_delta > 0
                UNION ALL
                SELECT e.machine_id, '', coalesce(e.part_number, ''), 0, -e.scrap_delta, 0, 0, 0, 0, 0
                FROM mes_machine_event AS e
                WHERE e.machine_id = ANY(@machines) AND e.ts >= @from AND e.ts < @to AND e.kind = 'ScrapReasoned' AND e.scrap_delta > 0
            )
            SELECT machine_id, reason, product, sum(total)::bigint, sum(scrap)::bigint, sum(entries)::bigint,
                   sum(ideal)::bigint, sum(ideal_good)::bigint, sum(unvalued)::bigint, sum(unvalued_good)::bigint
            FROM part
            GROUP BY machine_id, reason, product;
            """);
        command.Parameters.AddWithValue("machines", machineIds.ToArray());
        command.Parameters.AddWithValue("from", range.Start.UtcTicks);
        command.Parameters.AddWithValue("to", range.End.UtcTicks);
        return await RollupRows.ReadRawCountsAsync(command, cancellationToken);
    }

    /// <summary>The projector's view of the store within the transaction that appends the events.</summary>
    public static IRollupSession Session(NpgsqlConnection connection, NpgsqlTransaction transaction) => new WriteSession(connection, transaction);

    private NpgsqlCommand CellQuery(string table, string columns, IReadOnlyCollection<string> scopes, DateOnly first, DateOnly last, string? shift, string? product)
    {
        var command = dataSource.CreateCommand(
            $"""
            SELECT {columns} FROM {table}
            WHERE scope = ANY(@scopes) AND day BETWEEN @first AND @last
              AND (@shift::text IS NULL OR (shift_start <> 0 AND shift_name = @shift)) AND (@product::text IS NULL OR product = @product);
            """);
        command.Parameters.AddWithValue("scopes", scopes.ToArray());
        command.Parameters.AddWithValue("first", first.DayNumber);
        command.Parameters.AddWithValue("last", last.DayNumber);
        command.Parameters.Add(new NpgsqlParameter("shift", NpgsqlDbType.Text) { Value = (object?)shift ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("product", NpgsqlDbType.Text) { Value = (object?)product ?? DBNull.Value });
        return command;
    }

    private static string Qualified(string alias) => string.Join(", ", RollupRows.PieceColumns.Split(", ").Select(c => $"{alias}.{c}"));

    private sealed class WriteSession(NpgsqlConnection connection, NpgsqlTransaction transaction) : IRollupSession
    {
        public async Task<IReadOnlyDictionary<string, RollupCursor>> CursorsAsync(IReadOnlyCollection<string> machineIds)
        {
            // A row to lock for every machine, so that two silos never file a machine's events twice; a placeholder
            // (settings -1) stands for a machine not filed yet.
            var ids = machineIds.Order(StringComparer.Ordinal).ToArray();
            await using (var insert = Command(
                "INSERT INTO mes_report_cursor (machine_id, last_seq, open_stop, ideal_cycle_ticks, micro_stop_ticks) SELECT id, 0, '[]', -1, -1 FROM unnest(@machines) AS m(id) ORDER BY id ON CONFLICT DO NOTHING;"))
            {
                insert.Parameters.AddWithValue("machines", ids);
                await insert.ExecuteNonQueryAsync();
            }

            await using var select = Command($"SELECT {RollupRows.CursorColumns} FROM mes_report_cursor WHERE machine_id = ANY(@machines) ORDER BY machine_id FOR UPDATE;");
            select.Parameters.AddWithValue("machines", ids);
            return (await RollupRows.ReadCursorsAsync(select)).Where(c => c.Settings.IdealCycleTime >= TimeSpan.Zero).ToDictionary(c => c.MachineId);
        }

        public async Task<IReadOnlyList<MachineEvent>> EventsAfterAsync(string machineId, long afterSequence, int max)
        {
            await using var command = Command($"SELECT {MachineEventRows.Columns} FROM mes_machine_event WHERE machine_id = @machine AND machine_seq > @after ORDER BY machine_seq LIMIT @max;");
            command.Parameters.AddWithValue("machine", machineId);
            command.Parameters.AddWithValue("after", afterSequence);
            command.Parameters.AddWithValue("max", max);
            return await MachineEventRows.ReadAsync(command, CancellationToken.None);
        }

        public async Task<IReadOnlyList<MachineEvent>> TimelineAsync(string machineId, DateTimeOffset from, DateTimeOffset through)
        {
            await using var command = Command(
                $"""
                WITH picked AS (
                    SELECT seq, id FROM mes_machine_event
                    WHERE machine_id = @machine AND kind = 'StateChanged' AND ts >= @from AND ts <= @through
                    UNION
                    (SELECT seq, id FROM mes_machine_event
                     WHERE machine_id = @machine AND kind = 'StateChanged' AND ts < @from
                     ORDER BY ts DESC, machine_seq DESC LIMIT 1)
                )
                SELECT {MachineEventRows.Columns} FROM mes_machine_event
                WHERE seq IN (SELECT seq FROM picked)
                   OR (machine_id = @machine AND refers_to IN (SELECT id FROM picked) AND kind IN ('StopRecoded', 'StopSplit'))
                ORDER BY ts, machine_seq;
                """);
            command.Parameters.AddWithValue("machine", machineId);
            command.Parameters.AddWithValue("from", from.UtcTicks);
            command.Parameters.AddWithValue("through", through.UtcTicks);
            return await MachineEventRows.ReadAsync(command, CancellationToken.None);
        }

        public async Task<MachineEvent?> EventAsync(string machineId, Guid id)
        {
            await using var command = Command($"SELECT {MachineEventRows.Columns} FROM mes_machine_event WHERE id = @id AND machine_id = @machine;");
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("machine", machineId);
            return (await MachineEventRows.ReadAsync(command, CancellationToken.None)).SingleOrDefault();
        }

        public async Task<bool> VoidedBeforeAsync(string machineId, Guid entryId, long beforeSequence)
        {
            await using var command = Command(
                "SELECT EXISTS (SELECT 1 FROM mes_machine_event WHERE refers_to = @entry AND kind = 'Voided' AND machine_id = @machine AND machine_seq < @before);");
            command.Parameters.AddWithValue("entry", entryId);
            command.Parameters.AddWithValue("machine", machineId);
            command.Parameters.AddWithValue("before", beforeSequence);
            return (bool)(await command.ExecuteScalarAsync())!;
        }

        public async Task<IReadOnlyList<RollupPiece>> PiecesAsync(string machineId, TimeRange starts)
        {
            await using var command = Command($"SELECT {RollupRows.PieceColumns} FROM mes_report_piece WHERE machine_id = @machine AND start_ts >= @from AND start_ts < @to ORDER BY start_ts;");
            command.Parameters.AddWithValue("machine", machineId);
            command.Parameters.AddWithValue("from", starts.Start.UtcTicks);
            command.Parameters.AddWithValue("to", starts.End.UtcTicks);
            return await RollupRows.ReadPiecesAsync(command);
        }

        public async Task<RollupPiece?> PieceAtAsync(string machineId, DateTimeOffset at)
        {
            await using var command = Command($"SELECT {RollupRows.PieceColumns} FROM mes_report_piece WHERE machine_id = @machine AND start_ts <= @at ORDER BY start_ts DESC LIMIT 1;");
            command.Parameters.AddWithValue("machine", machineId);
            command.Parameters.AddWithValue("at", at.UtcTicks);
            return (await RollupRows.ReadPiecesAsync(command)).SingleOrDefault(p => p.Range.Contains(at));
        }

        public async Task<RollupPiece?> PieceOfStopAsync(string machineId, Guid stopId)
        {
            await using var command = Command($"SELECT {RollupRows.PieceColumns} FROM mes_report_piece WHERE machine_id = @machine AND stop_id = @stop LIMIT 1;");
            command.Parameters.AddWithValue("machine", machineId);
            command.Parameters.AddWithValue("stop", stopId);
            return (await RollupRows.ReadPiecesAsync(command)).SingleOrDefault();
        }

        public async Task<IReadOnlyDictionary<DateOnly, string>> LayoutsAsync(string site, IReadOnlyCollection<DateOnly> days)
        {
            await using var command = Command("SELECT day, layout FROM mes_report_day WHERE site = @site AND day = ANY(@days);");
            command.Parameters.AddWithValue("site", site);
            command.Parameters.AddWithValue("days", days.Select(d => d.DayNumber).ToArray());
            return await RollupRows.ReadLayoutsAsync(command);
        }

        public async Task WriteAsync(RollupChange change)
        {
            foreach (var (machine, starts) in change.DroppedPieces)
            {
                await using var drop = Command("DELETE FROM mes_report_piece WHERE machine_id = @machine AND start_ts >= @from AND start_ts < @to;");
                drop.Parameters.AddWithValue("machine", machine);
                drop.Parameters.AddWithValue("from", starts.Start.UtcTicks);
                drop.Parameters.AddWithValue("to", starts.End.UtcTicks);
                await drop.ExecuteNonQueryAsync();
            }

            await AddPiecesAsync(change.AddedPieces);
            await WriteTimeAsync(change);
            await WriteCountsAsync(change);
            await WriteCursorsAsync(change.Cursors.Values);
            if (change.NewDays.Count > 0)
            {
                var days = change.NewDays.OrderBy(d => d.Key.Site, StringComparer.Ordinal).ThenBy(d => d.Key.Day).ToList();
                await using var insert = Command("INSERT INTO mes_report_day (site, day, layout) SELECT * FROM unnest(@sites, @days, @layouts) ON CONFLICT DO NOTHING;");
                insert.Parameters.AddWithValue("sites", days.Select(d => d.Key.Site).ToArray());
                insert.Parameters.AddWithValue("days", days.Select(d => d.Key.Day.DayNumber).ToArray());
                insert.Parameters.AddWithValue("layouts", days.Select(d => d.Value).ToArray());
                await insert.ExecuteNonQueryAsync();
            }
        }

        private async Task AddPiecesAsync(IReadOnlyList<RollupPiece> pieces)
        {
            if (pieces.Count == 0)
            {
                return;
            }

            await using var insert = Command(
                $"INSERT INTO mes_report_piece ({RollupRows.PieceColumns}) SELECT * FROM unnest(@machines, @starts, @ends, @states, @reasons, @products, @stops, @stopStarts, @stopEnds, @countedAt);");
            insert.Parameters.AddWithValue("machines", pieces.Select(p => p.MachineId).ToArray());
            insert.Parameters.AddWithValue("starts", pieces.Select(p => p.Range.Start.UtcTicks).ToArray());
            insert.Parameters.AddWithValue("ends", pieces.Select(p => p.Range.End.UtcTicks).ToArray());
            insert.Parameters.AddWithValue("states", pieces.Select(p => p.State.ToString()).ToArray());
            insert.Parameters.AddWithValue("reasons", pieces.Select(p => p.Reason).ToArray());
            insert.Parameters.AddWithValue("products", pieces.Select(p => p.Product).ToArray());
            insert.Parameters.AddWithValue("stops", pieces.Select(p => p.StopId).ToArray());
            insert.Parameters.AddWithValue("stopStarts", pieces.Select(p => p.Stop.Start.UtcTicks).ToArray());
            insert.Parameters.AddWithValue("stopEnds", pieces.Select(p => p.Stop.End.UtcTicks).ToArray());
            insert.Parameters.AddWithValue("countedAt", pieces.Select(p => p.CountedAt?.UtcTicks).ToArray());
            await insert.ExecuteNonQueryAsync();
        }

        private async Task WriteTimeAsync(RollupChange change)
        {
            var cells = change.TimeToWrite.ToList();
            if (cells.Count == 0)
            {
                return;
            }

            await using var upsert = Command(
                $"""
                INSERT INTO mes_report_time AS t ({RollupRows.TimeColumns})
                SELECT * FROM unnest(@scopes, @days, @shiftStarts, @kinds, @states, @reasons, @minors, @products, @shiftNames, @ticks, @stops, @cycles)
                ON CONFLICT (scope, day, shift_start, kind, state, reason, minor, product)
                DO UPDATE SET ticks = t.ticks + excluded.ticks, stops = t.stops + excluded.stops, cycles = t.cycles + excluded.cycles;
                """);
            upsert.Parameters.AddWithValue("scopes", cells.Select(c => c.Key.Scope).ToArray());
            upsert.Parameters.AddWithValue("days", cells.Select(c => c.Key.Segment.Day.DayNumber).ToArray());
            upsert.Parameters.AddWithValue("shiftStarts", cells.Select(c => c.Key.Segment.ShiftStart).ToArray());
            upsert.Parameters.AddWithValue("kinds", cells.Select(c => (int)c.Key.Segment.Kind).ToArray());
            upsert.Parameters.AddWithValue("states", cells.Select(c => c.Key.State.ToString()).ToArray());
            upsert.Parameters.AddWithValue("reasons", cells.Select(c => c.Key.Reason).ToArray());
            upsert.Parameters.AddWithValue("minors", cells.Select(c => c.Key.Minor ? 1 : 0).ToArray());
            upsert.Parameters.AddWithValue("products", cells.Select(c => c.Key.Product).ToArray());
            upsert.Parameters.AddWithValue("shiftNames", cells.Select(c => change.ShiftNames[(Site(c.Key.Scope), c.Key.Segment)]).ToArray());
            upsert.Parameters.AddWithValue("ticks", cells.Select(c => c.Value.Ticks).ToArray());
            upsert.Parameters.AddWithValue("stops", cells.Select(c => c.Value.Stops).ToArray());
            upsert.Parameters.AddWithValue("cycles", cells.Select(c => c.Value.Cycles).ToArray());
            await upsert.ExecuteNonQueryAsync();

            // Cells that emptied (a stop taken back and filed elsewhere) go.
            var emptied = cells.Where(c => c.Value.Ticks < 0 || c.Value.Stops < 0).ToList();
            if (emptied.Count > 0)
            {
                await using var delete = Command(
                    """
                    DELETE FROM mes_report_time AS t USING unnest(@scopes, @days, @shiftStarts, @kinds, @states, @reasons, @minors, @products) AS k(scope, day, shift_start, kind, state, reason, minor, product)
                    WHERE t.scope = k.scope AND t.day = k.day AND t.shift_start = k.shift_start AND t.kind = k.kind AND t.state = k.state
                      AND t.reason = k.reason AND t.minor = k.minor AND t.product = k.product AND t.ticks = 0 AND t.stops = 0;
                    """);
                delete.Parameters.AddWithValue("scopes", emptied.Select(c => c.Key.Scope).ToArray());
                delete.Parameters.AddWithValue("days", emptied.Select(c => c.Key.Segment.Day.DayNumber).ToArray());
                delete.Parameters.AddWithValue("shiftStarts", emptied.Select(c => c.Key.Segment.ShiftStart).ToArray());
                delete.Parameters.AddWithValue("kinds", emptied.Select(c => (int)c.Key.Segment.Kind).ToArray());
                delete.Parameters.AddWithValue("states", emptied.Select(c => c.Key.State.ToString()).ToArray());
                delete.Parameters.AddWithValue("reasons", emptied.Select(c => c.Key.Reason).ToArray());
                delete.Parameters.AddWithValue("minors", emptied.Select(c => c.Key.Minor ? 1 : 0).ToArray());
                delete.Parameters.AddWithValue("products", emptied.Select(c => c.Key.Product).ToArray());
                await delete.ExecuteNonQueryAsync();
            }
        }

        private async Task WriteCountsAsync(RollupChange change)
        {
            var cells = change.CountsToWrite.ToList();
            if (cells.Count == 0)
            {
                return;
            }

            await using var upsert = Command(
                $"""
                INSERT INTO mes_report_count AS c ({RollupRows.CountColumns})
                SELECT * FROM unnest(@scopes, @days, @shiftStarts, @kinds, @reasons, @products, @shiftNames, @totals, @scraps, @entries, @ideals, @idealGoods, @unvalued, @unvaluedGood)
                ON CONFLICT (scope, day, shift_start, kind, reason, product)
                DO UPDATE SET total = c.total + excluded.total, scrap = c.scrap + excluded.scrap, scrap_entries = c.scrap_entries + excluded.scrap_entries,
                  ideal_ticks = c.ideal_ticks + excluded.ideal_ticks, ideal_good_ticks = c.ideal_good_ticks + excluded.ideal_good_ticks,
                  unvalued_total = c.unvalued_total + excluded.unvalued_total, unvalued_good = c.unvalued_good + excluded.unvalued_good;
                """);
            upsert.Parameters.AddWithValue("scopes", cells.Select(c => c.Key.Scope).ToArray());
            upsert.Parameters.AddWithValue("days", cells.Select(c => c.Key.Segment.Day.DayNumber).ToArray());
            upsert.Parameters.AddWithValue("shiftStarts", cells.Select(c => c.Key.Segment.ShiftStart).ToArray());
            upsert.Parameters.AddWithValue("kinds", cells.Select(c => (int)c.Key.Segment.Kind).ToArray());
            upsert.Parameters.AddWithValue("reasons", cells.Select(c => c.Key.Reason).ToArray());
            upsert.Parameters.AddWithValue("products", cells.Select(c => c.Key.Product).ToArray());
            upsert.Parameters.AddWithValue("shiftNames", cells.Select(c => change.ShiftNames[(Site(c.Key.Scope), c.Key.Segment)]).ToArray());
            upsert.Parameters.AddWithValue("totals", cells.Select(c => c.Value.Total).ToArray());
            upsert.Parameters.AddWithValue("scraps", cells.Select(c => c.Value.Scrap).ToArray());
            upsert.Parameters.AddWithValue("entries", cells.Select(c => c.Value.ScrapEntries).ToArray());
            upsert.Parameters.AddWithValue("ideals", cells.Select(c => c.Value.IdealTicks).ToArray());
            upsert.Parameters.AddWithValue("idealGoods", cells.Select(c => c.Value.IdealGoodTicks).ToArray());
            upsert.Parameters.AddWithValue("unvalued", cells.Select(c => c.Value.UnvaluedTotal).ToArray());
            upsert.Parameters.AddWithValue("unvaluedGood", cells.Select(c => c.Value.UnvaluedGood).ToArray());
            await upsert.ExecuteNonQueryAsync();
        }

        private async Task WriteCursorsAsync(IEnumerable<RollupCursor> cursors)
        {
            var all = cursors.OrderBy(c => c.MachineId, StringComparer.Ordinal).ToList();
            if (all.Count == 0)
            {
                return;
            }

            await using var upsert = Command(
                $"""
                INSERT INTO mes_report_cursor ({RollupRows.CursorColumns})
                SELECT * FROM unnest(@machines, @lasts, @since, @open, @cycles, @micros)
                ON CONFLICT (machine_id) DO UPDATE SET last_seq = excluded.last_seq, monitored_since = excluded.monitored_since, open_stop = excluded.open_stop,
                  ideal_cycle_ticks = excluded.ideal_cycle_ticks, micro_stop_ticks = excluded.micro_stop_ticks;
                """);
            upsert.Parameters.AddWithValue("machines", all.Select(c => c.MachineId).ToArray());
            upsert.Parameters.AddWithValue("lasts", all.Select(c => c.LastSequence).ToArray());
            upsert.Parameters.AddWithValue("since", all.Select(c => c.MonitoredSince?.UtcTicks).ToArray());
            upsert.Parameters.AddWithValue("open", all.Select(c => RollupRows.WriteOpenStop(c.OpenStop)).ToArray());
            upsert.Parameters.AddWithValue("cycles", all.Select(c => c.Settings.IdealCycleTime.Ticks).ToArray());
            upsert.Parameters.AddWithValue("micros", all.Select(c => c.Settings.MicroStopThreshold.Ticks).ToArray());
            await upsert.ExecuteNonQueryAsync();
        }

        private NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

        private static string Site(string scope) => scope.Split('/')[0];
    }
}
