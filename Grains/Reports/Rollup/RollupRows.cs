using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using MesOrleans.Machines;
using MesOrleans.Time;

namespace MesOrleans.Reports.Rollup;

/// <summary>How rollups are stored, the same in SQLite and PostgreSQL: times in UTC ticks, days as day numbers.</summary>
internal static class RollupRows
{
    public const string PieceColumns = "machine_id, start_ts, end_ts, state, reason, product, stop_id, stop_start, stop_end, counted_at";

    public const string CursorColumns = "machine_id, last_seq, monitored_since, open_stop, ideal_cycle_ticks, micro_stop_ticks";

    public const string TimeColumns = "scope, day, shift_start, kind, state, reason, minor, product, shift_name, ticks, stops, cycles";

    public const string CountColumns = "scope, day, shift_start, kind, reason, product, shift_name, total, scrap, scrap_entries, ideal_ticks, ideal_good_ticks, unvalued_total, unvalued_good";

    public static readonly JsonSerializerOptions OpenStopJson = new(JsonSerializerDefaults.General) { Converters = { new JsonStringEnumConverter() } };

    public static string WriteOpenStop(IReadOnlyList<MachineEvent> events) => JsonSerializer.Serialize(events, OpenStopJson);

    public static async Task<List<RollupPiece>> ReadPiecesAsync(DbCommand command, CancellationToken cancellationToken = default)
    {
        var pieces = new List<RollupPiece>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pieces.Add(new RollupPiece(
                reader.GetString(0),
                new TimeRange(Instant(reader.GetInt64(1)), Instant(reader.GetInt64(2))),
                Enum.Parse<MachineState>(reader.GetString(3)),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetGuid(6),
                new TimeRange(Instant(reader.GetInt64(7)), Instant(reader.GetInt64(8))),
                reader.IsDBNull(9) ? null : Instant(reader.GetInt64(9))));
        }

        return pieces;
    }

    public static async Task<List<RollupCursor>> ReadCursorsAsync(DbCommand command, CancellationToken cancellationToken = default)
    {
        var cursors = new List<RollupCursor>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cursors.Add(Cursor(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2),
                JsonSerializer.Deserialize<List<MachineEvent>>(reader.GetString(3), OpenStopJson),
                reader.GetInt64(4),
                reader.GetInt64(5)));
        }

        return cursors;
    }

    /// <summary>A cursor from the columns of <see cref="CursorColumns"/>, the open stop already read from its JSON.</summary>
    public static RollupCursor Cursor(string machineId, long lastSequence, long? monitoredSince, List<MachineEvent>? openStop, long idealCycleTicks, long microStopTicks) =>
        new(
            machineId,
            lastSequence,
            monitoredSince is { } since ? Instant(since) : null,
            openStop ?? [],
            new RollupSettings(TimeSpan.FromTicks(idealCycleTicks), TimeSpan.FromTicks(microStopTicks)));

    public static async Task<List<FiledTime>> ReadTimeAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var cells = new List<FiledTime>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cells.Add(new FiledTime(
                new TimeCellKey(
                    reader.GetString(0), Segment(reader, 1), Enum.Parse<MachineState>(reader.GetString(4)), reader.GetString(5), reader.GetInt64(6) != 0, reader.GetString(7)),
                new TimeAmount(reader.GetInt64(9), reader.GetInt64(10), reader.GetDouble(11)),
                reader.GetString(8)));
        }

        return cells;
    }

    public static async Task<List<FiledCount>> ReadCountsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var cells = new List<FiledCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cells.Add(new FiledCount(
                new CountCellKey(reader.GetString(0), Segment(reader, 1), reader.GetString(4), reader.GetString(5)),
                new CountAmount(reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13)),
                reader.GetString(6)));
        }

        return cells;
    }

    public static async Task<List<RawCount>> ReadRawCountsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var counts = new List<RawCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new RawCount(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9)));
        }

        return counts;
    }

    public static async Task<Dictionary<DateOnly, string>> ReadLayoutsAsync(DbCommand command, CancellationToken cancellationToken = default)
    {
        var layouts = new Dictionary<DateOnly, string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            layouts[DateOnly.FromDayNumber(reader.GetInt32(0))] = reader.GetString(1);
        }

        return layouts;
    }

    public static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);

    private static SegmentKey Segment(DbDataReader reader, int first) =>
        new(DateOnly.FromDayNumber(reader.GetInt32(first)), reader.GetInt64(first + 1), (SegmentKind)reader.GetInt32(first + 2));
}
