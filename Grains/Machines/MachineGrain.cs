using MesOrleans.Errors;
using MesOrleans.History;
using MesOrleans.Hosting;
using MesOrleans.Oee;
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
/// Every command validates first and throws before it touches state; an accepted command becomes one event that
/// is applied to the live state, persisted, and then appended to history.
/// </remarks>
internal sealed partial class MachineGrain(
    [PersistentState("machine", MesStorage.Name)] IPersistentState<MachineGrainState> state,
    PlantCatalog catalog,
    IHistoryStore history,
    TimeProvider time,
    IOptions<MesOptions> options,
    TelemetryStats telemetryStats,
    ILogger<MachineGrain> logger) : Grain, IMachineGrain
{
    private const int RecentEventCount = 20;
    private const long MaxQuantity = 1_000_000;

    private static readonly TimeSpan ShiftLookAhead = TimeSpan.FromDays(2);
    private readonly List<MachineEvent> _unwritten = [];
    private DateTimeOffset _recheckShiftAt;
    private EquipmentPath _path;
    private PlantView? _plant;
    private IAsyncStream<MachineStatus>? _live;
    private bool _dirty;

    private MachineGrainState S => state.State;

    private string Id => _path.ToString();

    private PlantView Plant => _plant ?? throw MesCommandException.NotFound($"Machine '{Id}' is not in the plant model.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _path = EquipmentPath.Parse(this.GetPrimaryKeyString());
        _live = this.GetStreamProvider(MesStreams.Provider).GetStream<MachineStatus>(StreamId.Create(MesStreams.Live, _path.Site));
        if (S.Config is not null)
        {
            _plant = await catalog.GetAsync(S.PlantVersion);
        }

        StartWatching();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await PersistAsync();
        }
    }

    public async Task ConfigureAsync(MachineConfig config, long plantVersion)
    {
        _plant = await catalog.GetAsync(plantVersion);
        S.Config = config;
        S.PlantVersion = plantVersion;
        S.Retired = false;
        _recheckShiftAt = DateTimeOffset.MinValue;
        AdvanceShift(time.GetUtcNow());
        await PersistAsync();
        await PublishLiveAsync();
        StartWatching();
    }

    public async Task RetireAsync(long plantVersion)
    {
        if (S.Config is null || S.Retired)
        {
            return;
        }

        S.Retired = true;
        S.PlantVersion = plantVersion;
        await PersistAsync();
        await PublishLiveAsync();
        logger.LogInformation("Machine {Machine} retired; its history is kept", Id);
    }

    public Task<MachineStatus> GetStatusAsync()
    {
        RequireKnown();
        return Task.FromResult(Status(time.GetUtcNow()));
    }

    public Task<IReadOnlyList<MachineEvent>> GetRecentEventsAsync(int count)
    {
        RequireKnown();
        return Task.FromResult<IReadOnlyList<MachineEvent>>(S.Recent.Take(Math.Clamp(count, 0, RecentEventCount)).ToList());
    }

    public Task<OeeFigures> GetShiftOeeAsync()
    {
        RequireKnown();
        var now = time.GetUtcNow();
        AdvanceShift(now);
        return Task.FromResult(ShiftOee(now) ?? OeeFigures.Empty(now, now));
    }

    public async Task<MachineEvent> ReportStateAsync(ReportState report)
    {
        RequireActive();
        var at = EventTime(report.Timestamp);
        if (report.ReasonCode is not null)
        {
            RequireDowntimeReason(report.ReasonCode);
        }

        if (report.Source == EventSource.Operator)
        {
            RequireNotBeforeCurrent(at);
        }

        return await AcceptAsync(NewEvent(MachineEventKind.StateChanged, at, report.Source) with
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
        RequireDowntimeReason(command.ReasonCode);
        var at = EventTime(command.Timestamp);
        if (S.Current?.State == MachineState.Down)
        {
            throw MesCommandException.Conflict(
                $"Machine '{Id}' is already down since {S.Current.Timestamp:O}; recode that stop instead of starting another.");
        }

        RequireNotBeforeCurrent(at);
        await AcceptAsync(NewEvent(MachineEventKind.StateChanged, at, EventSource.Operator) with
        {
            State = MachineState.Down,
            ReasonCode = command.ReasonCode,
            Actor = command.Operator,
            Note = command.Note,
        });
        return OpenStop()!;
    }

    public async Task<OpenStop> RecodeOpenStopAsync(string reasonCode, string? by)
    {
        RequireActive();
        var current = RequireOpenStop();
        RequireDowntimeReason(reasonCode);
        await AcceptAsync(Correction(MachineEventKind.StopRecoded, current, EventSource.Operator, by, note: null) with
        {
            ReasonCode = reasonCode,
        });
        return OpenStop()!;
    }

    public async Task<MachineEvent> EndDowntimeAsync(string? by, DateTimeOffset? timestamp = null)
    {
        RequireActive();
        var current = RequireOpenStop();
        var at = EventTime(timestamp);
        if (at < current.Timestamp)
        {
            throw MesCommandException.Invalid($"The stop began at {current.Timestamp:O}; it cannot end before that ({at:O}).");
        }

        return await AcceptAsync(NewEvent(MachineEventKind.StateChanged, at, EventSource.Operator) with
        {
            State = MachineState.Running,
            Actor = by,
        });
    }

    public async Task<MachineEvent> RecordScrapAsync(RecordScrap command)
    {
        RequireActive();
        RequireQuantity(command.Quantity, "Scrap quantity");
        if (!Plant.ScrapReasons.ContainsKey(command.ReasonCode ?? ""))
        {
            throw MesCommandException.Invalid($"'{command.ReasonCode}' is not a scrap reason.");
        }

        // Scrapped parts were made: counted by hand they add to the total too; a machine's own counter has them already.
        return await AcceptAsync(NewEvent(MachineEventKind.Counted, EventTime(command.Timestamp), EventSource.Operator) with
        {
            TotalDelta = S.CountsByTelemetry ? 0 : command.Quantity,
            ScrapDelta = command.Quantity,
            ReasonCode = command.ReasonCode,
            Actor = command.Operator,
        });
    }

    public async Task<MachineEvent> RecordGoodCountAsync(RecordGoodCount command)
    {
        RequireActive();
        RequireQuantity(command.Good, "Good count");
        if (S.CountsByTelemetry)
        {
            throw MesCommandException.Conflict($"Machine '{Id}' counts its parts itself; good counts by hand would count them twice.");
        }

        return await AcceptAsync(NewEvent(MachineEventKind.Counted, EventTime(command.Timestamp), EventSource.Operator) with
        {
            TotalDelta = command.Good,
            Actor = command.Operator,
        });
    }

    public async Task<MachineEvent> RecodeStopAsync(Guid stopId, string reasonCode, Correction correction)
    {
        RequireActive();
        RequireCorrection(correction);
        RequireDowntimeReason(reasonCode);
        var stop = await RequireStopAsync(stopId);
        return await AcceptAsync(Correction(MachineEventKind.StopRecoded, stop, EventSource.Operator, correction.By, correction.Why) with
        {
            ReasonCode = reasonCode,
        });
    }

    public async Task<MachineEvent> SplitStopAsync(Guid stopId, DateTimeOffset at, string reasonCode, Correction correction)
    {
        RequireActive();
        RequireCorrection(correction);
        RequireDowntimeReason(reasonCode);
        var stop = await RequireStopAsync(stopId);
        var range = await StopRangeAsync(stop);
        if (at <= range.Start || at >= range.End)
        {
            throw MesCommandException.Invalid(
                $"A split must fall inside the stop, strictly between {range.Start:O} and {range.End:O}; {at:O} does not.");
        }

        // A split's event time is the split instant: from then on the stop has the new reason.
        return await AcceptAsync(Correction(MachineEventKind.StopSplit, stop, EventSource.Operator, correction.By, correction.Why) with
        {
            Timestamp = at.ToUniversalTime(),
            ReasonCode = reasonCode,
        });
    }

    public async Task<MachineEvent> VoidEntryAsync(Guid entryId, Correction correction)
    {
        RequireActive();
        RequireCorrection(correction);
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

        return await AcceptAsync(Correction(MachineEventKind.Voided, entry, EventSource.Operator, correction.By, correction.Why));
    }

    private async Task<MachineEvent> AcceptAsync(MachineEvent e)
    {
        Record(e);
        await PersistAsync();
        await PublishLiveAsync();
        await CallMaintenanceAsync(time.GetUtcNow());
        return e;
    }

    /// <summary>Applies an event to the live state; it reaches history with the next <see cref="PersistAsync"/>.</summary>
    private void Record(MachineEvent e)
    {
        AdvanceShift(e.RecordedAt);
        Apply(e);
        _unwritten.Add(e);
        _dirty = true;
    }

    // State first, history second: if the silo dies between the two, the state (with the telemetry cursor) and
    // history are both behind, and the next cumulative count heals both; never is history ahead of the cursor,
    // which would count the same parts twice.
    private async Task PersistAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The live state is ahead of what was stored: start again from storage rather than serve it.
            DeactivateOnIdle();
            throw;
        }

        _dirty = false;
        foreach (var e in _unwritten)
        {
            history.Append(e);
        }

        _unwritten.Clear();
    }

    // The live view is a convenience for screens: a failed publish must not fail a command that was recorded.
    private async Task PublishLiveAsync()
    {
        try
        {
            await _live!.OnNextAsync(Status(time.GetUtcNow()));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not publish the live status of {Machine}", Id);
        }
    }

    private MachineStatus Status(DateTimeOffset now)
    {
        AdvanceShift(now);
        return new MachineStatus(Id, S.Config!.Name, S.Current?.State, S.Current?.Timestamp, OpenStop(), S.Shift, ShiftOee(now), S.Retired, S.CountsByTelemetry);
    }

    private void Apply(MachineEvent e)
    {
        S.Recent.Insert(0, e);
        if (S.Recent.Count > RecentEventCount)
        {
            S.Recent.RemoveRange(RecentEventCount, S.Recent.Count - RecentEventCount);
        }

        switch (e.Kind)
        {
            case MachineEventKind.StateChanged:
                // An event older than the live state goes to history without rewinding what the machine is doing now.
                if (S.Current is null || e.Timestamp >= S.Current.Timestamp)
                {
                    S.Current = e;
                    S.CurrentReason = e.ReasonCode;
                    S.CurrentReasonByOperator = e.Source == EventSource.Operator && e.ReasonCode is not null;
                }

                if (InShift(e.Timestamp) || (e == S.Current && S.Shift is not null && e.Timestamp < S.Shift.Start))
                {
                    S.ShiftTimeline.Add(e);
                }

                break;

            case MachineEventKind.Counted when InShift(e.Timestamp):
                S.ShiftTotal += e.TotalDelta;
                S.ShiftScrap += e.ScrapDelta;
                if (e.Source == EventSource.Operator)
                {
                    S.ShiftEntries.Add(e);
                }

                break;

            case MachineEventKind.Voided:
                if (S.ShiftEntries.Find(x => x.Id == e.RefersTo) is { } entry && S.ShiftVoided.Add(entry.Id))
                {
                    S.ShiftTotal -= entry.TotalDelta;
                    S.ShiftScrap -= entry.ScrapDelta;
                }

                break;

            case MachineEventKind.StopRecoded or MachineEventKind.StopSplit:
                if (e.RefersTo == S.Current?.Id)
                {
                    S.CurrentReason = e.ReasonCode;
                    S.CurrentReasonByOperator = e.Source == EventSource.Operator;
                }

                if (S.ShiftTimeline.Exists(x => x.Id == e.RefersTo))
                {
                    S.ShiftTimeline.Add(e);
                }

                break;
        }
    }

    /// <summary>Starts a new shift's counters when the shift calendar says another shift is current.</summary>
    private void AdvanceShift(DateTimeOffset now)
    {
        if (_plant is null)
        {
            return;
        }

        // The calendar is costly to ask on every telemetry message: ask again only when the shift can have changed.
        if (now < _recheckShiftAt && S.Shift is { } known && now >= known.Start)
        {
            return;
        }

        var calendar = _plant.CalendarOf(_path.Site);
        var occurrence = calendar.CurrentOrLast(now);
        _recheckShiftAt = occurrence is not null && occurrence.Range.Contains(now)
            ? occurrence.Range.End
            : calendar.Occurrences(new TimeRange(now, now + ShiftLookAhead)).Select(o => o.Range.Start).Where(start => start > now)
                .DefaultIfEmpty(now + ShiftLookAhead).Min();
        var shift = occurrence is null ? null : new ShiftWindow(occurrence.Name, occurrence.Range.Start, occurrence.Range.End);
        if (shift == S.Shift)
        {
            return;
        }

        // The state in effect when the new shift starts, and the corrections of that stop, carry over.
        var carried = S.Current is null
            ? []
            : S.ShiftTimeline.Where(x => x.Id == S.Current.Id || x.RefersTo == S.Current.Id).ToList();
        if (S.Current is not null && !carried.Contains(S.Current))
        {
            carried.Insert(0, S.Current);
        }

        S.Shift = shift;
        S.ShiftTimeline = carried;
        S.ShiftTotal = 0;
        S.ShiftScrap = 0;
        S.ShiftEntries = [];
        S.ShiftVoided = [];
    }

    private OeeFigures? ShiftOee(DateTimeOffset now)
    {
        if (S.Shift is null || _plant is null || S.Config is null)
        {
            return null;
        }

        var end = now < S.Shift.End ? now : S.Shift.End;
        var window = new TimeRange(S.Shift.Start, end < S.Shift.Start ? S.Shift.Start : end);
        return MachineOee.Calculate(
            window,
            _plant.CalendarOf(_path.Site),
            S.Config,
            S.ShiftTimeline,
            new CountTotals(S.ShiftTotal, S.ShiftScrap),
            _plant.IsPlannedReason);
    }

    private OpenStop? OpenStop() =>
        S.Current is { State: not MachineState.Running } c
            ? new OpenStop(c.Id, c.State!.Value, S.CurrentReason, c.Timestamp, c.Actor, c.Note, c.Source)
            : null;

    private bool InShift(DateTimeOffset at) => S.Shift is not null && at >= S.Shift.Start && at < S.Shift.End;

    private async Task<TimeRange> StopRangeAsync(MachineEvent stop)
    {
        var now = time.GetUtcNow();
        var events = S.ShiftTimeline.Exists(x => x.Id == stop.Id)
            ? S.ShiftTimeline
            : await history.ReadWindowAsync(Id, stop.Timestamp, now);
        var pieces = StopTimeline.Build(events, now, Plant.IsPlannedReason).Where(i => i.StopId == stop.Id).ToList();
        return pieces.Count == 0
            ? throw MesCommandException.Conflict($"Stop '{stop.Id}' has no duration to split.")
            : new TimeRange(pieces.Min(p => p.Range.Start), pieces.Max(p => p.Range.End));
    }

    private async Task<MachineEvent?> FindAsync(Guid id) =>
        S.ShiftTimeline.Find(x => x.Id == id)
        ?? S.ShiftEntries.Find(x => x.Id == id)
        ?? S.Recent.Find(x => x.Id == id)
        ?? await history.FindAsync(Id, id);

    private async Task<bool> IsVoidedAsync(MachineEvent entry)
    {
        if (S.ShiftVoided.Contains(entry.Id) || S.Recent.Exists(x => x.Kind == MachineEventKind.Voided && x.RefersTo == entry.Id))
        {
            return true;
        }

        var around = await history.ReadWindowAsync(Id, entry.Timestamp, entry.Timestamp.AddTicks(1));
        return around.Any(x => x.Kind == MachineEventKind.Voided && x.RefersTo == entry.Id);
    }

    private async Task<MachineEvent> RequireStopAsync(Guid stopId)
    {
        var stop = await FindAsync(stopId);
        return stop is { Kind: MachineEventKind.StateChanged, State: not MachineState.Running }
            ? stop
            : throw MesCommandException.NotFound($"Machine '{Id}' has no stop '{stopId}'.");
    }

    private MachineEvent NewEvent(MachineEventKind kind, DateTimeOffset at, EventSource source) =>
        new(Guid.CreateVersion7(), Id, kind, at.ToUniversalTime(), time.GetUtcNow(), source);

    // A correction carries the event time of the fact it corrects, so that it travels with that fact into any window.
    private MachineEvent Correction(MachineEventKind kind, MachineEvent target, EventSource source, string? by, string? note) =>
        NewEvent(kind, target.Timestamp, source) with { RefersTo = target.Id, Actor = by, Note = note };

    private DateTimeOffset EventTime(DateTimeOffset? requested)
    {
        var now = time.GetUtcNow();
        var at = requested?.ToUniversalTime() ?? now;
        var limits = options.Value.Telemetry;
        if (at > now + limits.MaxFutureSkew)
        {
            throw MesCommandException.Invalid($"{at:O} is in the future.");
        }

        var maxAge = limits.MaxEventAge;
        if (at < now - maxAge)
        {
            throw MesCommandException.Invalid($"{at:O} is older than the {maxAge.TotalDays:0.#} days that are accepted.");
        }

        return at;
    }

    private void RequireNotBeforeCurrent(DateTimeOffset at)
    {
        if (S.Current is { } current && at < current.Timestamp)
        {
            throw MesCommandException.Conflict(
                $"Machine '{Id}' changed to {current.State} at {current.Timestamp:O}, after {at:O}; correct that stop instead.");
        }
    }

    private MachineEvent RequireOpenStop() =>
        S.Current is { State: not MachineState.Running } current
            ? current
            : throw MesCommandException.Conflict($"Machine '{Id}' has no open stop.");

    private void RequireDowntimeReason(string? code)
    {
        if (!Plant.DowntimeReasons.ContainsKey(code ?? ""))
        {
            throw MesCommandException.Invalid($"'{code}' is not a downtime reason.");
        }
    }

    private static void RequireQuantity(long quantity, string what)
    {
        if (quantity is <= 0 or > MaxQuantity)
        {
            throw MesCommandException.Invalid($"{what} must be between 1 and {MaxQuantity:N0}; {quantity} is not.");
        }
    }

    private static void RequireCorrection(Correction correction)
    {
        if (string.IsNullOrWhiteSpace(correction.By) || string.IsNullOrWhiteSpace(correction.Why))
        {
            throw MesCommandException.Invalid("A correction needs who makes it and why.");
        }
    }

    private MachineConfig RequireKnown() =>
        S.Config ?? throw MesCommandException.NotFound($"Machine '{Id}' is not in the plant model.");

    private void RequireActive()
    {
        RequireKnown();
        if (S.Retired)
        {
            throw MesCommandException.Conflict($"Machine '{Id}' is retired; it takes no new records.");
        }
    }
}
