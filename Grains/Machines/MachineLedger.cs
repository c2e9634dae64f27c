using MesOrleans.Errors;
using MesOrleans.Hosting;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Telemetry;
using MesOrleans.Time;

namespace MesOrleans.Machines;

/// <summary>
/// A machine's rules as a pure model: what telemetry, silence and people's commands make of the machine, and what
/// each event does to its live state (state, open stop, the current shift's timeline and counters). No I/O: the
/// grain validates through it, appends what it recorded to the event log, and publishes; activation replays the log
/// through <see cref="Replay"/>, the same code the live path uses, so state rebuilt after a crash is the state that was.
/// </summary>
internal sealed class MachineLedger(EquipmentPath path, MachineGrainState state)
{
    private const int RecentEventCount = 20;
    private const long MaxQuantity = 1_000_000;
    private const int KeptOrderChanges = 50;
    private static readonly TimeSpan ShiftLookAhead = TimeSpan.FromDays(2);

    private readonly List<MachineEvent> _unwritten = [];
    private DateTimeOffset _recheckShiftAt;
    private bool _watermarkChanged;

    public string Id { get; } = path.ToString();

    public MachineGrainState State => state;

    /// <summary>The plant model the machine is judged by; null until the machine is configured.</summary>
    public PlantView? Plant { get; set; }

    public long LastSequence => state.LastSequence ?? 0;

    private PlantView KnownPlant => Plant ?? throw MesCommandException.NotFound($"Machine '{Id}' is not in the plant model.");

    /// <summary>
    /// Numbers a new event, applies it, and keeps it for the next append. A count is tagged with the work order and
    /// the ideal cycle time in force at its event time.
    /// </summary>
    public MachineEvent Record(MachineEvent e)
    {
        var numbered = (e.Kind == MachineEventKind.Counted ? TagWithOrder(e) : e) with { Sequence = LastSequence + 1 };
        Apply(numbered);
        _unwritten.Add(numbered);
        return numbered;
    }

    /// <summary>Applies an event read back from the log (activation).</summary>
    public void Replay(MachineEvent e) => Apply(e);

    /// <summary>The events recorded since the last call, to append.</summary>
    public List<MachineEvent> TakeUnwritten()
    {
        var events = _unwritten.ToList();
        _unwritten.Clear();
        return events;
    }

    /// <summary>The telemetry watermark when it moved since the last call, to append with the events.</summary>
    public TelemetryWatermark? TakeWatermark()
    {
        if (!_watermarkChanged)
        {
            return null;
        }

        _watermarkChanged = false;
        return new TelemetryWatermark
        {
            Cursor = state.Cursor,
            QueueOffset = state.QueueOffset,
            CountsByTelemetry = state.CountsByTelemetry,
            ReportsState = state.ReportsState,
            LastArrival = state.LastTelemetryArrival,
            LastTime = state.LastTelemetryTime,
            LastCountArrival = state.LastCountArrival,
            LastCountTime = state.LastCountTime,
        };
    }

    /// <summary>Takes the watermark the log holds: always at least as new as the snapshot.</summary>
    public void RestoreWatermark(TelemetryWatermark mark)
    {
        state.Cursor = mark.Cursor;
        state.QueueOffset = Math.Max(state.QueueOffset, mark.QueueOffset);
        state.CountsByTelemetry = mark.CountsByTelemetry;
        state.ReportsState = mark.ReportsState;
        state.LastTelemetryArrival = mark.LastArrival;
        state.LastTelemetryTime = mark.LastTime;
        state.LastCountArrival = mark.LastCountArrival;
        state.LastCountTime = mark.LastCountTime;
    }

    /// <summary>Forgets the shift cache, e.g. after the calendar may have changed.</summary>
    public void RecheckShift() => _recheckShiftAt = DateTimeOffset.MinValue;

    public MachineEvent NewEvent(MachineEventKind kind, DateTimeOffset at, EventSource source, DateTimeOffset now) =>
        new(Guid.CreateVersion7(), Id, kind, at.ToUniversalTime(), now, source);

    /// <summary>A correction carries the event time of the fact it corrects, so that it travels with that fact into any window.</summary>
    public MachineEvent Correction(MachineEventKind kind, MachineEvent target, EventSource source, string? by, string? note, DateTimeOffset now) =>
        NewEvent(kind, target.Timestamp, source, now) with { RefersTo = target.Id, Actor = by, Note = note };

    public MachineStatus Status(DateTimeOffset now)
    {
        AdvanceShift(now);
        return new MachineStatus(
            Id, state.Config!.Name, state.Current?.State, state.Current?.Timestamp, OpenStop(), state.Shift, ShiftOee(now), state.Retired,
            state.CountsByTelemetry, UnassignedScrap);
    }

    public OpenStop? OpenStop() =>
        state.Current is { State: not MachineState.Running } c
            ? new OpenStop(c.Id, c.State!.Value, state.CurrentReason, c.Timestamp, c.Actor, c.Note, c.Source)
            : null;

    /// <summary>The work-order change in force at <paramref name="at"/>, or null when none was recorded before it.</summary>
    public MachineEvent? OrderChangeAt(DateTimeOffset at) => state.OrderChanges.LastOrDefault(o => o.Timestamp <= at);

    /// <summary>The newest work-order change by event time: the order running now (or none).</summary>
    public MachineEvent? LatestOrderChange => state.OrderChanges.LastOrDefault();

    public OeeFigures? ShiftOee(DateTimeOffset now)
    {
        if (state.Shift is null || Plant is null || state.Config is null)
        {
            return null;
        }

        var end = now < state.Shift.End ? now : state.Shift.End;
        var window = new TimeRange(state.Shift.Start, end < state.Shift.Start ? state.Shift.Start : end);
        return MachineOee.Calculate(
            window,
            Plant.CalendarOf(path.Site),
            state.Config,
            state.ShiftTimeline,
            new CountTotals(state.ShiftTotal, state.ShiftScrap, ShiftIdealRunTime, ShiftIdealGoodTime),
            Plant.IsPlannedReason);
    }

    /// <summary>Scrap the machine counted this shift that nobody has given a reason yet.</summary>
    public long UnassignedScrap => Math.Max(0, state.ShiftMachineScrap - state.ShiftScrapReasoned);

    public bool InShift(DateTimeOffset at) => state.Shift is not null && at >= state.Shift.Start && at < state.Shift.End;

    /// <summary>Starts a new shift's counters when the shift calendar says another shift is current.</summary>
    public void AdvanceShift(DateTimeOffset now)
    {
        if (Plant is null)
        {
            return;
        }

        // The calendar is costly to ask on every telemetry message: ask again only when the shift can have changed.
        if (now < _recheckShiftAt && state.Shift is { } known && now >= known.Start)
        {
            return;
        }

        var calendar = Plant.CalendarOf(path.Site);
        var occurrence = calendar.CurrentOrLast(now);
        _recheckShiftAt = occurrence is not null && occurrence.Range.Contains(now)
            ? occurrence.Range.End
            : calendar.Occurrences(new TimeRange(now, now + ShiftLookAhead)).Select(o => o.Range.Start).Where(start => start > now)
                .DefaultIfEmpty(now + ShiftLookAhead).Min();
        var shift = occurrence is null ? null : new ShiftWindow(occurrence.Name, occurrence.Range.Start, occurrence.Range.End);
        if (shift == state.Shift)
        {
            return;
        }

        // The state in effect when the new shift starts, and the corrections of that stop, carry over.
        var carried = state.Current is null
            ? []
            : state.ShiftTimeline.Where(x => x.Id == state.Current.Id || x.RefersTo == state.Current.Id).ToList();
        if (state.Current is not null && !carried.Contains(state.Current))
        {
            carried.Insert(0, state.Current);
        }

        state.Shift = shift;
        state.ShiftTimeline = carried;
        state.ShiftTotal = 0;
        state.ShiftScrap = 0;
        state.ShiftMachineScrap = 0;
        state.ShiftScrapReasoned = 0;
        state.ShiftIdealRunTime = TimeSpan.Zero;
        state.ShiftIdealGoodTime = TimeSpan.Zero;
        state.ShiftEntries = [];
        state.ShiftVoided = [];
    }

    /// <summary>
    /// Applies one telemetry message: records the events it causes and moves the watermark. <paramref name="queueOffset"/>
    /// is the message's id in the telemetry queue (null when it did not come through the queue).
    /// </summary>
    public TelemetryOutcome ApplyTelemetry(TelemetryEvent e, long? queueOffset, DateTimeOffset now)
    {
        if (queueOffset is { } offset)
        {
            if (offset <= state.QueueOffset)
            {
                // Applied before a crash, delivered again: what it caused is in the log already.
                return TelemetryOutcome.Redelivered;
            }

            state.QueueOffset = offset;
        }

        _watermarkChanged = true;
        if (state.Config is null || state.Retired)
        {
            // The machine was retired after ingestion checked it: nothing to record it on.
            return TelemetryOutcome.Ignored;
        }

        var decision = CounterTracker.Decide(state.Cursor, e);
        state.Cursor = decision.Cursor;
        state.LastTelemetryArrival = e.ReceivedAt;
        state.LastTelemetryTime = Max(state.LastTelemetryTime, e.Timestamp);
        if (decision.IsDuplicate)
        {
            return TelemetryOutcome.Duplicate;
        }

        return e.Signal == TelemetrySignal.State ? ApplyState(e, now) : ApplyCount(e, decision, now);
    }

    /// <summary>Applies the silence rules (judged by the live machine on arrival time); true when the state changed.</summary>
    public bool FallSilent(DateTimeOffset now)
    {
        var config = state.Config!;
        if (state.Current is not { State: MachineState.Running } current || current.Timestamp > now)
        {
            return false;
        }

        // A dead PLC cannot keep a machine running: offline from its last message's time.
        if (state.LastTelemetryArrival is { } lastArrival && now - lastArrival > config.OfflineAfter)
        {
            Record(NewEvent(MachineEventKind.StateChanged, Max(state.LastTelemetryTime, current.Timestamp)!.Value, EventSource.System, now) with
            {
                State = MachineState.Offline,
                Note = $"no telemetry for {config.OfflineAfter.TotalMinutes:0.#} minutes",
            });
            return true;
        }

        // A machine that sends only counts and stops counting during a shift gets a stop for the operator to explain.
        if (!state.ReportsState && state.LastCountArrival is { } lastCount && InShift(now) && now - lastCount > config.NoCountStopAfter)
        {
            Record(NewEvent(MachineEventKind.StateChanged, Max(state.LastCountTime, current.Timestamp)!.Value, EventSource.System, now) with
            {
                State = MachineState.Down,
                Note = $"no parts counted for {config.NoCountStopAfter.TotalSeconds:0} seconds",
            });
            return true;
        }

        return false;
    }

    public MachineConfig RequireKnown() =>
        state.Config ?? throw MesCommandException.NotFound($"Machine '{Id}' is not in the plant model.");

    public void RequireActive()
    {
        RequireKnown();
        if (state.Retired)
        {
            throw MesCommandException.Conflict($"Machine '{Id}' is retired; it takes no new records.");
        }
    }

    public void RequireNotBeforeCurrent(DateTimeOffset at)
    {
        if (state.Current is { } current && at < current.Timestamp)
        {
            throw MesCommandException.Conflict(
                $"Machine '{Id}' changed to {current.State} at {current.Timestamp:O}, after {at:O}; correct that stop instead.");
        }
    }

    public MachineEvent RequireOpenStop() =>
        state.Current is { State: not MachineState.Running } current
            ? current
            : throw MesCommandException.Conflict($"Machine '{Id}' has no open stop.");

    public void RequireDowntimeReason(string? code)
    {
        if (!KnownPlant.DowntimeReasons.ContainsKey(code ?? ""))
        {
            throw MesCommandException.Invalid($"'{code}' is not a downtime reason.");
        }
    }

    public void RequireScrapReason(string? code)
    {
        if (!KnownPlant.ScrapReasons.ContainsKey(code ?? ""))
        {
            throw MesCommandException.Invalid($"'{code}' is not a scrap reason.");
        }
    }

    public static void RequireQuantity(long quantity, string what)
    {
        if (quantity is <= 0 or > MaxQuantity)
        {
            throw MesCommandException.Invalid($"{what} must be between 1 and {MaxQuantity:N0}; {quantity} is not.");
        }
    }

    /// <summary>Refuses a text longer than its documented limit, naming the field.</summary>
    public static void RequireText(string? text, int limit, string path)
    {
        if (text is { Length: var length } && length > limit)
        {
            throw MesCommandException.Invalid($"{path} has {length} characters; at most {limit} are accepted.", [new ValidationProblem(path, $"At most {limit} characters.")]);
        }
    }

    public static void RequireCorrection(Correction correction)
    {
        if (string.IsNullOrWhiteSpace(correction.By) || string.IsNullOrWhiteSpace(correction.Why))
        {
            throw MesCommandException.Invalid("A correction needs who makes it and why.");
        }

        RequireText(correction.By, TextLimits.Person, "$.by");
        RequireText(correction.Why, TextLimits.Note, "$.why");
    }

    /// <summary>The time an event happened: now, or a time given after the fact within the accepted range.</summary>
    public static DateTimeOffset EventTime(DateTimeOffset? requested, DateTimeOffset now, TelemetryOptions limits)
    {
        var at = requested?.ToUniversalTime() ?? now;
        if (at > now + limits.MaxFutureSkew)
        {
            throw MesCommandException.Invalid($"{at:O} is in the future.");
        }

        if (at < now - limits.MaxEventAge)
        {
            throw MesCommandException.Invalid($"{at:O} is older than the {limits.MaxEventAge.TotalDays:0.#} days that are accepted.");
        }

        return at;
    }

    private TelemetryOutcome ApplyState(TelemetryEvent e, DateTimeOffset now)
    {
        state.ReportsState = true;
        var reported = e.State!.Value;
        var known = e.ReasonCode is null || KnownPlant.DowntimeReasons.ContainsKey(e.ReasonCode);
        if (state.Current is { } current && current.State == reported && e.Timestamp >= current.Timestamp)
        {
            // The same state again: nothing new, unless the PLC now names a reason and no person has given one.
            if (reported != MachineState.Running && known && e.ReasonCode is not null && e.ReasonCode != state.CurrentReason && !state.CurrentReasonByOperator)
            {
                Record(Correction(MachineEventKind.StopRecoded, current, EventSource.Telemetry, by: null, note: null, now) with
                {
                    ReasonCode = e.ReasonCode,
                });
                return TelemetryOutcome.StateChanged;
            }

            return TelemetryOutcome.Unchanged;
        }

        Record(NewEvent(MachineEventKind.StateChanged, e.Timestamp, EventSource.Telemetry, now) with
        {
            State = reported,
            ReasonCode = known ? e.ReasonCode : null,
            Note = known ? null : $"PLC reason code '{e.ReasonCode}' is not in the catalog",
        });
        return TelemetryOutcome.StateChanged;
    }

    private TelemetryOutcome ApplyCount(TelemetryEvent e, TelemetryDecision decision, DateTimeOffset now)
    {
        state.CountsByTelemetry = true;
        if (decision.TotalDelta > 0)
        {
            state.LastCountArrival = e.ReceivedAt;
            state.LastCountTime = Max(state.LastCountTime, e.Timestamp);
        }

        // A machine that reports no states is running while it counts.
        var runsAgain = !state.ReportsState && decision.TotalDelta > 0 && state.Current?.State != MachineState.Running
            && (state.Current is null || e.Timestamp >= state.Current.Timestamp);
        if (runsAgain)
        {
            Record(NewEvent(MachineEventKind.StateChanged, e.Timestamp, EventSource.System, now) with { State = MachineState.Running });
        }

        var counted = decision.TotalDelta > 0 || decision.ScrapDelta > 0;
        if (counted)
        {
            Record(NewEvent(MachineEventKind.Counted, e.Timestamp, EventSource.Telemetry, now) with
            {
                TotalDelta = decision.TotalDelta,
                ScrapDelta = decision.ScrapDelta,
            });
        }

        return runsAgain ? TelemetryOutcome.StateChanged : counted ? TelemetryOutcome.Counted : TelemetryOutcome.Unchanged;
    }

    private void Apply(MachineEvent e)
    {
        AdvanceShift(e.RecordedAt);
        state.LastSequence = e.Sequence;
        state.Recent.Insert(0, e);
        if (state.Recent.Count > RecentEventCount)
        {
            state.Recent.RemoveRange(RecentEventCount, state.Recent.Count - RecentEventCount);
        }

        switch (e.Kind)
        {
            case MachineEventKind.StateChanged:
                // An event older than the live state goes to history without rewinding what the machine is doing now.
                if (state.Current is null || e.Timestamp >= state.Current.Timestamp)
                {
                    state.Current = e;
                    state.CurrentReason = e.ReasonCode;
                    state.CurrentReasonByOperator = e.Source == EventSource.Operator && e.ReasonCode is not null;
                }

                if (InShift(e.Timestamp) || (e == state.Current && state.Shift is not null && e.Timestamp < state.Shift.Start))
                {
                    state.ShiftTimeline.Add(e);
                }

                break;

            case MachineEventKind.Counted when InShift(e.Timestamp):
                state.ShiftIdealRunTime = ShiftIdealRunTime + (CycleOf(e) * e.TotalDelta);
                state.ShiftIdealGoodTime = ShiftIdealGoodTime + (CycleOf(e) * (e.TotalDelta - e.ScrapDelta));
                state.ShiftTotal += e.TotalDelta;
                state.ShiftScrap += e.ScrapDelta;
                if (e.Source == EventSource.Telemetry)
                {
                    state.ShiftMachineScrap += e.ScrapDelta;
                }

                if (e.Source == EventSource.Operator)
                {
                    state.ShiftEntries.Add(e);
                }

                break;

            case MachineEventKind.ScrapReasoned when InShift(e.Timestamp):
                state.ShiftScrapReasoned += e.ScrapDelta;
                break;

            case MachineEventKind.Voided:
                if (state.ShiftEntries.Find(x => x.Id == e.RefersTo) is { } entry && state.ShiftVoided.Add(entry.Id))
                {
                    state.ShiftIdealRunTime = ShiftIdealRunTime - (CycleOf(entry) * entry.TotalDelta);
                    state.ShiftIdealGoodTime = ShiftIdealGoodTime - (CycleOf(entry) * (entry.TotalDelta - entry.ScrapDelta));
                    state.ShiftTotal -= entry.TotalDelta;
                    state.ShiftScrap -= entry.ScrapDelta;
                }

                break;

            case MachineEventKind.StopRecoded or MachineEventKind.StopSplit:
                if (e.RefersTo == state.Current?.Id)
                {
                    state.CurrentReason = e.ReasonCode;
                    state.CurrentReasonByOperator = e.Source == EventSource.Operator;
                }

                if (state.ShiftTimeline.Exists(x => x.Id == e.RefersTo))
                {
                    state.ShiftTimeline.Add(e);
                }

                break;

            case MachineEventKind.OrderChanged:
                // Kept by event time: a count is tagged with the order in force at its own time.
                var at = state.OrderChanges.FindLastIndex(o => o.Timestamp <= e.Timestamp) + 1;
                state.OrderChanges.Insert(at, e);
                if (state.OrderChanges.Count > KeptOrderChanges)
                {
                    state.OrderChanges.RemoveRange(0, state.OrderChanges.Count - KeptOrderChanges);
                }

                break;
        }
    }

    private MachineEvent TagWithOrder(MachineEvent count)
    {
        if (count.IdealCycleTime is not null || count.OrderNumber is not null)
        {
            return count;
        }

        var order = OrderChangeAt(count.Timestamp);
        return count with
        {
            OrderNumber = order?.OrderNumber,
            PartNumber = order?.PartNumber,
            IdealCycleTime = order?.IdealCycleTime ?? state.Config?.IdealCycleTime,
        };
    }

    // The ideal cycle time a count was made at; counts from before the MES tagged them use the configured time.
    private TimeSpan CycleOf(MachineEvent count) => count.IdealCycleTime ?? state.Config?.IdealCycleTime ?? TimeSpan.Zero;

    // A snapshot from before the ideal times were kept: its counts were all at the configured time.
    private TimeSpan ShiftIdealRunTime => state.ShiftIdealRunTime ?? ((state.Config?.IdealCycleTime ?? TimeSpan.Zero) * state.ShiftTotal);

    private TimeSpan ShiftIdealGoodTime =>
        state.ShiftIdealGoodTime ?? ((state.Config?.IdealCycleTime ?? TimeSpan.Zero) * (state.ShiftTotal - state.ShiftScrap));

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}

/// <summary>What one telemetry message did to its machine.</summary>
internal enum TelemetryOutcome
{
    /// <summary>Already applied before a restart: skipped by its queue id.</summary>
    Redelivered,

    /// <summary>The machine is not configured or retired.</summary>
    Ignored,

    /// <summary>Seen before, or older than what the counters hold.</summary>
    Duplicate,

    /// <summary>Nothing changed (the same state again, a count baseline or repeat).</summary>
    Unchanged,

    /// <summary>Parts counted: screens learn of it with the next batch.</summary>
    Counted,

    /// <summary>The machine's state or stop changed: screens learn of it at once.</summary>
    StateChanged,
}
