using MesOrleans.Oee;

namespace MesOrleans.Machines;

/// <summary>
/// A machine, keyed by its equipment path (<c>plant1/assembly/press-3</c>). It owns the machine's live state,
/// its open stop and the current shift's counters, and appends every fact to the history store.
/// Refused commands throw <see cref="Errors.MesCommandException"/> and change nothing.
/// </summary>
[Alias("mes.IMachineGrain")]
public interface IMachineGrain : IGrainWithStringKey
{
    /// <summary>Sets the machine's master data (called by the plant model); reactivates a retired machine.</summary>
    [Alias("Configure")]
    Task ConfigureAsync(MachineConfig config, long plantVersion);

    /// <summary>Hides the machine; its history is kept.</summary>
    [Alias("Retire")]
    Task RetireAsync(long plantVersion);

    /// <summary>The live view. Unknown machines throw NotFound.</summary>
    [Alias("GetStatus")]
    Task<MachineStatus> GetStatusAsync();

    /// <summary>The newest events, newest first.</summary>
    [Alias("GetRecentEvents")]
    Task<IReadOnlyList<MachineEvent>> GetRecentEventsAsync(int count);

    /// <summary>A state change from the machine or a person: the single path for states.</summary>
    [Alias("ReportState")]
    Task<MachineEvent> ReportStateAsync(ReportState report);

    /// <summary>An operator stops the machine (state down) with a reason.</summary>
    [Alias("StartDowntime")]
    Task<OpenStop> StartDowntimeAsync(StartDowntime command);

    /// <summary>Gives the open stop another reason.</summary>
    [Alias("RecodeOpenStop")]
    Task<OpenStop> RecodeOpenStopAsync(string reasonCode, string? by);

    /// <summary>Ends the open stop: the machine runs again.</summary>
    [Alias("EndDowntime")]
    Task<MachineEvent> EndDowntimeAsync(string? by, DateTimeOffset? timestamp = null);

    /// <summary>Records scrap.</summary>
    [Alias("RecordScrap")]
    Task<MachineEvent> RecordScrapAsync(RecordScrap command);

    /// <summary>Gives a reason to parts of the scrap the machine counted itself this shift (at most those without one).</summary>
    [Alias("AssignScrapReason")]
    Task<MachineEvent> AssignScrapReasonAsync(AssignScrapReason command);

    /// <summary>Records good parts counted by hand.</summary>
    [Alias("RecordGoodCount")]
    Task<MachineEvent> RecordGoodCountAsync(RecordGoodCount command);

    /// <summary>Gives a stop (open or closed) another reason, after the fact.</summary>
    [Alias("RecodeStop")]
    Task<MachineEvent> RecodeStopAsync(Guid stopId, string reasonCode, Correction correction);

    /// <summary>Splits a stop at <paramref name="at"/>: from then on it has <paramref name="reasonCode"/>.</summary>
    [Alias("SplitStop")]
    Task<MachineEvent> SplitStopAsync(Guid stopId, DateTimeOffset at, string reasonCode, Correction correction);

    /// <summary>Voids a scrap or count entry.</summary>
    [Alias("VoidEntry")]
    Task<MachineEvent> VoidEntryAsync(Guid entryId, Correction correction);

    /// <summary>
    /// Applies one validated telemetry message directly, without the telemetry stream: for callers that are
    /// at-least-once already. The MQTT path goes through the stream; the benchmark compares both.
    /// </summary>
    [Alias("ApplyTelemetry")]
    Task ApplyTelemetryAsync(Telemetry.TelemetryEvent telemetry);

    /// <summary>
    /// Records that work order <paramref name="order"/> runs on the machine's line from <paramref name="at"/> on (null:
    /// none runs), with the ideal cycle time of its part on this machine: counts from then on carry the order, and OEE
    /// uses that cycle time. The order already in force records nothing again. Answers the number of the event that
    /// records the order in force.
    /// </summary>
    [Alias("SetRunningOrder")]
    Task<long> SetRunningOrderAsync(RunningOrder? order, DateTimeOffset at);

    /// <summary>OEE of the current shift from the live counters.</summary>
    [Alias("GetShiftOee")]
    Task<OeeFigures> GetShiftOeeAsync();
}
