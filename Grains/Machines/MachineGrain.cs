using MesOrleans.Errors;
using MesOrleans.History;
using MesOrleans.Hosting;
using MesOrleans.Oee;
using MesOrleans.Placement;
using MesOrleans.Plant;
using MesOrleans.Streams;
using MesOrleans.Telemetry;
using MesOrleans.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace MesOrleans.Machines;

/// <inheritdoc cref="IMachineGrain" />
/// <remarks>
/// A shell around <see cref="MachineLedger"/>: a command is validated, becomes events that the ledger numbers and
/// applies, and the grain answers only once those events are appended to the event log. The persisted state is a
/// snapshot that names the last event it includes; activation replays the events after it. State and history
/// therefore cannot disagree after a crash, and a command answered OK is in both.
/// </remarks>
[PlaceBySite]
internal sealed partial class MachineGrain(
    [PersistentState("machine", MesStorage.Name)] IPersistentState<MachineGrainState> state,
    PlantCatalog catalog,
    IMachineEventLog log,
    TimeProvider time,
    IOptions<MesOptions> options,
    TelemetryStats telemetryStats,
    ILogger<MachineGrain> logger) : Grain, IMachineGrain
{
    // The log is the record, so snapshots only bound how much activation replays.
    private const int SnapshotAfterEvents = 1_000;
    private static readonly TimeSpan SnapshotAfter = TimeSpan.FromMinutes(1);

    private MachineLedger _ledger = null!;
    private EquipmentPath _path;
    private IAsyncStream<MachineStatus>? _live;
    private int _sinceSnapshot;
    private bool _snapshotDue;
    private DateTimeOffset _snapshotAt;
    private bool _broken;

    // What the log holds, as last shown on screens: answered while the log cannot be written (see CommitAsync).
    private MachineStatus? _recorded;

    private MachineGrainState S => state.State;

    private string Id => _ledger.Id;

    private PlantView Plant => _ledger.Plant ?? throw MesCommandException.NotFound($"Machine '{Id}' is not in the plant model.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _path = EquipmentPath.Parse(this.GetPrimaryKeyString());
        _live = this.GetStreamProvider(MesStreams.LiveProvider).GetStream<MachineStatus>(StreamId.Create(MesStreams.Live, _path.Site));
        _ledger = new MachineLedger(_path, S);
        if (S.LastSequence is null)
        {
            // A snapshot from before the event log included all of its machine's history; a missing one includes none.
            S.LastSequence = state.RecordExists ? await log.ReadLastSequenceAsync(Id, cancellationToken) : 0;
        }

        if (S.Config is not null)
        {
            _ledger.Plant = await catalog.GetAsync(S.PlantVersion);
        }

        var replayed = await log.ReadAfterAsync(Id, S.LastSequence.Value, cancellationToken);
        foreach (var e in replayed)
        {
            _ledger.Replay(e);
        }

        if (await log.ReadWatermarkAsync(Id, cancellationToken) is { } watermark)
        {
            _ledger.RestoreWatermark(watermark);
        }

        _sinceSnapshot = replayed.Count;
        _snapshotAt = time.GetUtcNow();
        if (S.Config is not null)
        {
            _recorded = _ledger.Status(_snapshotAt);
        }

        if (replayed.Count > 0)
        {
            LogReplayed(logger, Id, replayed.Count, S.LastSequence.Value);
        }

        StartWatching();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_broken && (_sinceSnapshot > 0 || _snapshotDue))
        {
            await TrySnapshotAsync();
        }
    }

    public async Task ConfigureAsync(MachineConfig config, long plantVersion)
    {
        RequireUsable();
        _ledger.Plant = await catalog.GetAsync(plantVersion);
        S.Config = config;
        S.PlantVersion = plantVersion;
        S.Retired = false;
        _ledger.RecheckShift();
        _ledger.AdvanceShift(time.GetUtcNow());

        // Settings are not events: the snapshot is their record, written before the answer.
        await SnapshotAsync();
        await KeepAwakeAsync(true);
        await PublishLiveAsync();
        StartWatching();
    }

    public async Task RetireAsync(long plantVersion)
    {
        RequireUsable();
        if (S.Config is null || S.Retired)
        {
            return;
        }

        S.Retired = true;
        S.PlantVersion = plantVersion;
        await SnapshotAsync();
        await KeepAwakeAsync(false);
        await PublishLiveAsync();
        LogRetired(logger, Id);
    }

    public Task<MachineStatus> GetStatusAsync()
    {
        _ledger.RequireKnown();
        return Task.FromResult(_broken && _recorded is not null ? _recorded : _ledger.Status(time.GetUtcNow()));
    }

    public Task<IReadOnlyList<MachineEvent>> GetRecentEventsAsync(int count)
    {
        _ledger.RequireKnown();
        return Task.FromResult<IReadOnlyList<MachineEvent>>(S.Recent.Take(Math.Max(count, 0)).ToList());
    }

    public Task<OeeFigures> GetShiftOeeAsync()
    {
        _ledger.RequireKnown();
        if (_broken && _recorded?.ShiftOee is { } recorded)
        {
            return Task.FromResult(recorded);
        }

        var now = time.GetUtcNow();
        _ledger.AdvanceShift(now);
        return Task.FromResult(_ledger.ShiftOee(now) ?? OeeFigures.Empty(now, now));
    }

    public async Task<MachineEvent> ReportStateAsync(ReportState report)
    {
        RequireActive();
        MachineLedger.RequireText(report.Actor, TextLimits.Person, "$.actor");
        MachineLedger.RequireText(report.Note, TextLimits.Note, "$.note");
        var now = time.GetUtcNow();
        var at = EventTime(report.Timestamp, now);
        if (report.ReasonCode is not null)
        {
            _ledger.RequireDowntimeReason(report.ReasonCode);
        }

        if (report.Source == EventSource.Operator)
        {
            _ledger.RequireNotBeforeCurrent(at);
        }

        return await AcceptAsync(_ledger.NewEvent(MachineEventKind.StateChanged, at, report.Source, now) with
        {
            State = report.State,
            ReasonCode = report.ReasonCode,
            Actor = report.Actor,
            Note = report.Note,
        });
    }

    public async Task<OpenStop> StartDowntimeAsync(StartDowntime command)
    {
        RequireActive();
        MachineLedger.RequireText(command.Operator, TextLimits.Person, "$.operator");
        MachineLedger.RequireText(command.Note, TextLimits.Note, "$.note");
        _ledger.RequireDowntimeReason(command.ReasonCode);
        var now = time.GetUtcNow();
        var at = EventTime(command.Timestamp, now);
        if (S.Current?.State == MachineState.Down)
        {
            throw MesCommandException.Conflict(
                $"Machine '{Id}' is already down since {S.Current.Timestamp:O}; recode that stop instead of starting another.");
        }

        _ledger.RequireNotBeforeCurrent(at);
        await AcceptAsync(_ledger.NewEvent(MachineEventKind.StateChanged, at, EventSource.Operator, now) with
        {
            State = MachineState.Down,
            ReasonCode = command.ReasonCode,
            Actor = command.Operator,
            Note = command.Note,
        });
        return _ledger.OpenStop()!;
    }

    public async Task<OpenStop> RecodeOpenStopAsync(string reasonCode, string? by)
    {
        RequireActive();
        MachineLedger.RequireText(by, TextLimits.Person, "$.operator");
        var current = _ledger.RequireOpenStop();
        _ledger.RequireDowntimeReason(reasonCode);
        await AcceptAsync(_ledger.Correction(MachineEventKind.StopRecoded, current, EventSource.Operator, by, note: null, time.GetUtcNow()) with
        {
            ReasonCode = reasonCode,
        });
        return _ledger.OpenStop()!;
    }

    public async Task<MachineEvent> EndDowntimeAsync(string? by, DateTimeOffset? timestamp = null)
    {
        RequireActive();
        MachineLedger.RequireText(by, TextLimits.Person, "$.operator");
        var current = _ledger.RequireOpenStop();
        var now = time.GetUtcNow();
        var at = EventTime(timestamp, now);
        if (at < current.Timestamp)
        {
            throw MesCommandException.Invalid($"The stop began at {current.Timestamp:O}; it cannot end before that ({at:O}).");
        }

        return await AcceptAsync(_ledger.NewEvent(MachineEventKind.StateChanged, at, EventSource.Operator, now) with
        {
            State = MachineState.Running,
            Actor = by,
        });
    }

    public async Task<MachineEvent> RecordScrapAsync(RecordScrap command)
    {
        RequireActive();
        MachineLedger.RequireText(command.Operator, TextLimits.Person, "$.operator");
        MachineLedger.RequireQuantity(command.Quantity, "Scrap quantity");
        _ledger.RequireScrapReason(command.ReasonCode);
        var now = time.GetUtcNow();

        // Scrapped parts were made: counted by hand they add to the total too; a machine's own counter has them already.
        return await AcceptAsync(_ledger.NewEvent(MachineEventKind.Counted, EventTime(command.Timestamp, now), EventSource.Operator, now) with
        {
            TotalDelta = S.CountsByTelemetry ? 0 : command.Quantity,
            ScrapDelta = command.Quantity,
            ReasonCode = command.ReasonCode,
            Actor = command.Operator,
        });
    }

    public async Task<MachineEvent> AssignScrapReasonAsync(AssignScrapReason command)
    {
        RequireActive();
        MachineLedger.RequireQuantity(command.Quantity, "Quantity");
        MachineLedger.RequireText(command.Operator, TextLimits.Person, "$.operator");
        _ledger.RequireScrapReason(command.ReasonCode);
        var now = time.GetUtcNow();
        _ledger.AdvanceShift(now);
        if (command.Quantity > _ledger.UnassignedScrap)
        {
            throw MesCommandException.Invalid(
                $"Machine '{S.Config!.Name}' counted {_ledger.UnassignedScrap} scrap without a reason this shift; {command.Quantity} cannot be given one.",
                [new ValidationProblem("$.quantity", $"At most {_ledger.UnassignedScrap}.")]);
        }

        return await AcceptAsync(_ledger.NewEvent(MachineEventKind.ScrapReasoned, now, EventSource.Operator, now) with
        {
            ScrapDelta = command.Quantity,
            ReasonCode = command.ReasonCode,
            Actor = command.Operator,
        });
    }

    public async Task<MachineEvent> RecordGoodCountAsync(RecordGoodCount command)
    {
        RequireActive();
        MachineLedger.RequireQuantity(command.Good, "Good count");
        MachineLedger.RequireText(command.Operator, TextLimits.Person, "$.operator");
        MachineLedger.RequireText(command.OverrideReason, TextLimits.Note, "$.overrideReason");
        var overriding = !string.IsNullOrWhiteSpace(command.OverrideReason);
        if (S.CountsByTelemetry && !overriding)
        {
            throw MesCommandException.Conflict(
                $"Machine '{S.Config!.Name}' counts its parts itself; good counts by hand would count them twice. Say why its counter cannot be trusted to count by hand anyway.");
        }

        var now = time.GetUtcNow();
        return await AcceptAsync(_ledger.NewEvent(MachineEventKind.Counted, EventTime(command.Timestamp, now), EventSource.Operator, now) with
        {
            TotalDelta = command.Good,
            Actor = command.Operator,
            Note = S.CountsByTelemetry ? $"Counted by hand while the machine counts: {command.OverrideReason!.Trim()}" : null,
        });
    }

    public async Task<MachineEvent> RecodeStopAsync(Guid stopId, string reasonCode, Correction correction)
    {
        RequireActive();
        MachineLedger.RequireCorrection(correction);
        _ledger.RequireDowntimeReason(reasonCode);
        var stop = await RequireStopAsync(stopId);
        return await AcceptAsync(_ledger.Correction(MachineEventKind.StopRecoded, stop, EventSource.Operator, correction.By, correction.Why, time.GetUtcNow()) with
        {
            ReasonCode = reasonCode,
        });
    }

    public async Task<MachineEvent> SplitStopAsync(Guid stopId, DateTimeOffset at, string reasonCode, Correction correction)
    {
        RequireActive();
        MachineLedger.RequireCorrection(correction);
        _ledger.RequireDowntimeReason(reasonCode);
        var stop = await RequireStopAsync(stopId);
        var range = await StopRangeAsync(stop);
        if (at <= range.Start || at >= range.End)
        {
            throw MesCommandException.Invalid(
                $"A split must fall inside the stop, strictly between {range.Start:O} and {range.End:O}; {at:O} does not.");
        }

        // A split's event time is the split instant: from then on the stop has the new reason.
        return await AcceptAsync(_ledger.Correction(MachineEventKind.StopSplit, stop, EventSource.Operator, correction.By, correction.Why, time.GetUtcNow()) with
        {
            Timestamp = at.ToUniversalTime(),
            ReasonCode = reasonCode,
        });
    }

    public async Task<MachineEvent> VoidEntryAsync(Guid entryId, Correction correction)
    {
        RequireActive();
        MachineLedger.RequireCorrection(correction);
        var entry = await FindAsync(entryId)
            ?? throw MesCommandException.NotFound($"Machine '{Id}' has no entry '{entryId}'.");
        if (entry.Kind != MachineEventKind.Counted || entry.Source != EventSource.Operator)
        {
            throw MesCommandException.Invalid("Only scrap and count entries made by people can be voided.");
        }

        if (await IsVoidedAsync(entry))
        {
            throw MesCommandException.Conflict($"Entry '{entryId}' is already void.");
        }

        // A void carries the entry's work order, so that the order finds it among its own events.
        return await AcceptAsync(_ledger.Correction(MachineEventKind.Voided, entry, EventSource.Operator, correction.By, correction.Why, time.GetUtcNow()) with
        {
            OrderNumber = entry.OrderNumber,
            PartNumber = entry.PartNumber,
        });
    }

    private async Task<MachineEvent> AcceptAsync(MachineEvent e)
    {
        var recorded = _ledger.Record(e);
        await CommitAsync();
        await PublishLiveAsync();
        await CallMaintenanceAsync(time.GetUtcNow());
        return recorded;
    }

    /// <summary>
    /// Appends what the ledger recorded (and the telemetry watermark, when it moved) and completes once it is durable.
    /// When the append fails, the ledger is ahead of the log: the activation takes nothing more and starts over. When
    /// another activation holds the numbers, at once; when the log is out of reach (database down), only once the log
    /// answers again (<see cref="WatchAsync"/>), because a new activation could not read it either: until then the
    /// machine's live view shows what the log holds, as last published.
    /// </summary>
    private async Task CommitAsync()
    {
        var events = _ledger.TakeUnwritten();
        var watermark = _ledger.TakeWatermark();
        if (events.Count == 0 && watermark is null)
        {
            return;
        }

        try
        {
            await log.AppendAsync(new MachineAppend(Id, events, watermark));
        }
        catch (Exception exception)
        {
            _broken = true;
            if (exception is EventLogConflictException || _watch is null)
            {
                DeactivateOnIdle();
            }

            LogAppendFailed(logger, exception, Id, events.Count);
            throw MesCommandException.Unavailable($"Machine '{Id}' could not record this just now; nothing was recorded. Try again.");
        }

        _sinceSnapshot += events.Count;
        if (_sinceSnapshot >= SnapshotAfterEvents)
        {
            await TrySnapshotAsync();
        }
    }

    private async Task SnapshotAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Another activation wrote a newer snapshot, or storage failed: start again from storage and the log.
            _broken = true;
            DeactivateOnIdle();
            throw;
        }

        _sinceSnapshot = 0;
        _snapshotDue = false;
        _snapshotAt = time.GetUtcNow();
    }

    // A snapshot that fails costs only a longer replay at the next activation: the log has everything.
    private async Task TrySnapshotAsync()
    {
        try
        {
            await SnapshotAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSnapshotFailed(logger, exception, Id);
        }
    }

    // The live view is a convenience for screens: a failed publish must not fail a command that was recorded.
    private async Task PublishLiveAsync()
    {
        try
        {
            _recorded = _ledger.Status(time.GetUtcNow());
            await _live!.OnNextAsync(_recorded);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPublishFailed(logger, ex, Id);
        }
    }

    private async Task<TimeRange> StopRangeAsync(MachineEvent stop)
    {
        var now = time.GetUtcNow();
        var events = S.ShiftTimeline.Exists(x => x.Id == stop.Id)
            ? S.ShiftTimeline
            : await log.ReadWindowAsync(Id, stop.Timestamp, now);
        var pieces = StopTimeline.Build(events, now, Plant.IsPlannedReason).Where(i => i.StopId == stop.Id).ToList();
        return pieces.Count == 0
            ? throw MesCommandException.Conflict($"Stop '{stop.Id}' has no duration to split.")
            : new TimeRange(pieces.Min(p => p.Range.Start), pieces.Max(p => p.Range.End));
    }

    private async Task<MachineEvent?> FindAsync(Guid id) =>
        S.ShiftTimeline.Find(x => x.Id == id)
        ?? S.ShiftEntries.Find(x => x.Id == id)
        ?? S.Recent.Find(x => x.Id == id)
        ?? await log.FindAsync(Id, id);

    private async Task<bool> IsVoidedAsync(MachineEvent entry)
    {
        if (S.ShiftVoided.Contains(entry.Id) || S.Recent.Exists(x => x.Kind == MachineEventKind.Voided && x.RefersTo == entry.Id))
        {
            return true;
        }

        var around = await log.ReadWindowAsync(Id, entry.Timestamp, entry.Timestamp.AddTicks(1));
        return around.Any(x => x.Kind == MachineEventKind.Voided && x.RefersTo == entry.Id);
    }

    private async Task<MachineEvent> RequireStopAsync(Guid stopId)
    {
        var stop = await FindAsync(stopId);
        return stop is { Kind: MachineEventKind.StateChanged, State: not MachineState.Running }
            ? stop
            : throw MesCommandException.NotFound($"Machine '{Id}' has no stop '{stopId}'.");
    }

    private DateTimeOffset EventTime(DateTimeOffset? requested, DateTimeOffset now) =>
        MachineLedger.EventTime(requested, now, options.Value.Telemetry);

    private void RequireUsable()
    {
        if (_broken)
        {
            throw MesCommandException.Unavailable($"Machine '{Id}' is reloading its record; try again.");
        }
    }

    private void RequireActive()
    {
        RequireUsable();
        _ledger.RequireActive();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine} replayed {Count} events after its snapshot at event {Sequence}")]
    private static partial void LogReplayed(ILogger logger, string machine, int count, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine} retired; its history is kept")]
    private static partial void LogRetired(ILogger logger, string machine);

    [LoggerMessage(Level = LogLevel.Error, Message = "Machine {Machine} could not append {Count} events; the activation starts over from the log")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string machine, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {Machine} could not write its snapshot; the log has everything, activation will replay more")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, string machine);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the live status of {Machine}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string machine);
}
