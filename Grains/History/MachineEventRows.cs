using System.Data.Common;
using System.Text.Json;
using MesOrleans.Machines;
using MesOrleans.Telemetry;

namespace MesOrleans.History;

/// <summary>How a machine event and a telemetry watermark are stored, the same in SQLite and PostgreSQL.</summary>
internal static class MachineEventRows
{
    /// <summary>The columns every event query selects, in the order <see cref="ReadAsync"/> reads them.</summary>
    public const string Columns =
        "id, machine_id, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note, machine_seq, order_number, part_number, ideal_cycle_time";

    public static readonly JsonSerializerOptions WatermarkJson = new(JsonSerializerDefaults.General);

    public static async Task<IReadOnlyList<MachineEvent>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var events = new List<MachineEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new MachineEvent(
                reader.GetGuid(0),
                reader.GetString(1),
                Enum.Parse<MachineEventKind>(reader.GetString(2)),
                new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                Enum.Parse<EventSource>(reader.GetString(5)))
            {
                State = reader.IsDBNull(6) ? null : Enum.Parse<MachineState>(reader.GetString(6)),
                ReasonCode = reader.IsDBNull(7) ? null : reader.GetString(7),
                TotalDelta = reader.GetInt64(8),
                ScrapDelta = reader.GetInt64(9),
                RefersTo = reader.IsDBNull(10) ? null : reader.GetGuid(10),
                Actor = reader.IsDBNull(11) ? null : reader.GetString(11),
                Note = reader.IsDBNull(12) ? null : reader.GetString(12),
                Sequence = reader.IsDBNull(13) ? 0 : reader.GetInt64(13),
                OrderNumber = reader.IsDBNull(14) ? null : reader.GetString(14),
                PartNumber = reader.IsDBNull(15) ? null : reader.GetString(15),
                IdealCycleTime = reader.IsDBNull(16) ? null : TimeSpan.FromTicks(reader.GetInt64(16)),
            });
        }

        return events;
    }

    public static TelemetryWatermark? ReadWatermark(object? payload) =>
        payload is string json ? JsonSerializer.Deserialize<TelemetryWatermark>(json, WatermarkJson) : null;

    public static string WriteWatermark(TelemetryWatermark watermark) => JsonSerializer.Serialize(watermark, WatermarkJson);
}
