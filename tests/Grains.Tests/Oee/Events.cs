using MesOrleans.Machines;

namespace MesOrleans.Tests.Oee;

/// <summary>Builds machine events for tests; times are UTC on Monday 2 March 2026 unless a test says otherwise.</summary>
internal static class Events
{
    private const string Machine = "plant1/assembly/press-3";

    public static DateTimeOffset At(int hour, int minute = 0, int second = 0, int day = 2) => new(2026, 3, day, hour, minute, second, TimeSpan.Zero);

    public static MachineEvent State(DateTimeOffset at, MachineState state, string? reason = null) =>
        new(Guid.NewGuid(), Machine, MachineEventKind.StateChanged, at, at, EventSource.Telemetry) { State = state, ReasonCode = reason };

    public static MachineEvent Recode(MachineEvent stop, string reason, DateTimeOffset recordedAt) =>
        new(Guid.NewGuid(), Machine, MachineEventKind.StopRecoded, recordedAt, recordedAt, EventSource.Operator) { RefersTo = stop.Id, ReasonCode = reason };

    public static MachineEvent Split(MachineEvent stop, DateTimeOffset at, string reason) =>
        new(Guid.NewGuid(), Machine, MachineEventKind.StopSplit, at, At(23), EventSource.Operator) { RefersTo = stop.Id, ReasonCode = reason };

    public static MachineEvent Count(DateTimeOffset at, long total, long scrap = 0) =>
        new(Guid.NewGuid(), Machine, MachineEventKind.Counted, at, at, EventSource.Telemetry) { TotalDelta = total, ScrapDelta = scrap };

    public static MachineEvent Void(MachineEvent entry, DateTimeOffset recordedAt) =>
        new(Guid.NewGuid(), Machine, MachineEventKind.Voided, recordedAt, recordedAt, EventSource.Operator) { RefersTo = entry.Id };
}
