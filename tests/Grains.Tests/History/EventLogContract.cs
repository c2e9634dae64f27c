using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Telemetry;
using MesOrleans.Testing;

namespace MesOrleans.Tests.History;

/// <summary>
/// What every event log promises, whatever database holds it: each store's test class derives from this one, so that
/// SQLite (standalone) and PostgreSQL (cluster) are held to the same contract.
/// </summary>
public abstract class EventLogContract : IAsyncLifetime
{
    private const string Press = "plant1/assembly/press-3";
    private static readonly DateTimeOffset Day = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, long> _numbers = [];
    private EventLogWriter? _writer;

    /// <summary>The table of events, as SQL names it in this database.</summary>
    protected abstract string EventTable { get; }

    /// <summary>Why the database cannot be had on this machine, or null: the tests then skip (or fail under CI).</summary>
    protected virtual string? MissingComponent => null;

    private EventLogWriter Writer
    {
        get
        {
            RequiredComponent.SkipOrFailIfMissing(MissingComponent);
            return _writer!;
        }
    }

    private IMachineEventLog Store => (IMachineEventLog)Writer;

    public async Task InitializeAsync()
    {
        if (MissingComponent is not null)
        {
            return;
        }

        await CreateDatabaseAsync();
        _writer = NewStore();
        await _writer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.StopAsync(CancellationToken.None);
            await DropDatabaseAsync();
        }
    }

    /// <summary>Makes an empty database with the event log's schema.</summary>
    protected abstract Task CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    /// <summary>A new store on the database, not started.</summary>
    private protected abstract EventLogWriter NewStore();

    /// <summary>Runs a statement in its own transaction.</summary>
    protected abstract Task ExecuteAsync(string sql);

    protected abstract Task<long> CountAsync(string sql);

    [SkippableFact]
    public async Task Appends_from_many_machines_at_once_are_all_written_exactly_once_in_their_order()
    {
        const int Machines = 8;
        const int AppendsEach = 300;

        await Task.WhenAll(Enumerable.Range(0, Machines).Select(m => Task.Run(async () =>
        {
            var machine = $"plant1/assembly/m{m}";
            for (var i = 0; i < AppendsEach; i++)
            {
                // Each machine waits for its append, as a grain does; the machines' appends share commits.
                await Store.AppendAsync(new MachineAppend(machine, [
                    Numbered(Event(machine, MachineEventKind.Counted, Day.AddSeconds(i)) with { TotalDelta = 1 }),
                    Numbered(Event(machine, MachineEventKind.Counted, Day.AddSeconds(i)) with { TotalDelta = 2 })]));
            }
        })));

        Assert.Equal(Machines * AppendsEach * 2, await CountAsync($"SELECT count(DISTINCT id) FROM {EventTable};"));
        Assert.Equal(Machines * AppendsEach * 3, await CountAsync($"SELECT sum(total_delta) FROM {EventTable};"));
        var m3 = await Store.ReadAfterAsync("plant1/assembly/m3", 0);
        Assert.Equal(Enumerable.Range(1, AppendsEach * 2).Select(n => (long)n), m3.Select(e => e.Sequence));
        Assert.Equal(AppendsEach * 2, await Store.ReadLastSequenceAsync("plant1/assembly/m3"));
    }

    [SkippableFact]
    public async Task Appending_the_same_events_again_stores_them_once()
    {
        var counted = Numbered(Event(Press, MachineEventKind.Counted, Day) with { TotalDelta = 5 });
        var append = new MachineAppend(Press, [counted]);

        await Store.AppendAsync(append);
        await Task.WhenAll(Store.AppendAsync(append), Store.AppendAsync(append));

        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM {EventTable};"));
    }

    [SkippableFact]
    public async Task Another_event_under_a_taken_number_is_refused_with_all_of_its_append_and_nothing_else()
    {
        var first = Numbered(Event(Press, MachineEventKind.Counted, Day) with { TotalDelta = 5 });
        await Store.AppendAsync(new MachineAppend(Press, [first]));

        // A stale activation numbers from where it stood; a live one of another machine commits alongside.
        var staleNext = Event(Press, MachineEventKind.Counted, Day) with { Sequence = 2, TotalDelta = 100 };
        var staleTaken = Event(Press, MachineEventKind.Counted, Day) with { Sequence = 1, TotalDelta = 100 };
        var neighbour = Numbered(Event("plant1/assembly/press-4", MachineEventKind.Counted, Day) with { TotalDelta = 7 });
        var stale = Store.AppendAsync(new MachineAppend(Press, [staleNext, staleTaken]));
        var other = Store.AppendAsync(new MachineAppend("plant1/assembly/press-4", [neighbour]));

        var refused = await Assert.ThrowsAsync<EventLogConflictException>(() => stale);
        await other;

        Assert.Contains(first.Id.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.Equal([first], await Store.ReadAfterAsync(Press, 0));
        Assert.Equal([neighbour], await Store.ReadAfterAsync("plant1/assembly/press-4", 0));
    }

    [SkippableFact]
    public async Task Every_field_reads_back_as_written()
    {
        var recoded = Numbered(new MachineEvent(Guid.NewGuid(), Press, MachineEventKind.StopRecoded, Day.AddHours(8), Day.AddHours(9), EventSource.Operator)
        {
            State = MachineState.Down,
            ReasonCode = "E12",
            TotalDelta = 7,
            ScrapDelta = 2,
            RefersTo = Guid.NewGuid(),
            Actor = "anna",
            Note = "tool change, not a jam",
        });
        await Store.AppendAsync(new MachineAppend(Press, [recoded]));

        Assert.Equal(recoded, Assert.Single(await Store.ReadRecentAsync(Press, 10)));
        Assert.Equal(recoded, await Store.FindAsync(Press, recoded.Id));
        Assert.Null(await Store.FindAsync("plant1/assembly/press-4", recoded.Id));
    }

    [SkippableFact]
    public async Task A_work_order_change_and_a_count_tagged_with_its_order_read_back_as_written()
    {
        var order = Numbered(Event(Press, MachineEventKind.OrderChanged, Day.AddHours(6)) with
        {
            OrderNumber = "WO-1001",
            PartNumber = "BRK-100.2",
            IdealCycleTime = TimeSpan.FromSeconds(27.5),
        });
        var counted = Numbered(Event(Press, MachineEventKind.Counted, Day.AddHours(7)) with
        {
            TotalDelta = 12,
            ScrapDelta = 1,
            OrderNumber = "WO-1001",
            PartNumber = "BRK-100.2",
            IdealCycleTime = TimeSpan.FromSeconds(27.5),
        });
        var none = Numbered(Event(Press, MachineEventKind.OrderChanged, Day.AddHours(8)) with { IdealCycleTime = TimeSpan.FromSeconds(30) });
        await Store.AppendAsync(new MachineAppend(Press, [order, counted, none]));

        Assert.Equal([order, counted, none], await Store.ReadAfterAsync(Press, 0));
        Assert.Equal([order, counted], await ((IHistoryReader)Store).ReadWindowAsync(Press, Day.AddHours(6), Day.AddHours(8)));
        Assert.Equal([order, counted], await Store.ReadOrderAfterAsync(Press, "WO-1001", 0, 100));
        Assert.Equal([counted], await Store.ReadOrderAfterAsync(Press, "WO-1001", order.Sequence, 100));
        Assert.Equal([order], await Store.ReadOrderAfterAsync(Press, "WO-1001", 0, 1));
        Assert.Empty(await Store.ReadOrderAfterAsync("plant1/assembly/press-4", "WO-1001", 0, 100));
    }

    [SkippableFact]
    public async Task Reading_after_a_number_returns_the_later_events_in_order()
    {
        var events = Enumerable.Range(0, 5).Select(i => Numbered(Event(Press, MachineEventKind.Counted, Day.AddMinutes(-i)))).ToList();
        await Store.AppendAsync(new MachineAppend(Press, events));

        Assert.Equal(events.Skip(2), await Store.ReadAfterAsync(Press, 2));
        Assert.Empty(await Store.ReadAfterAsync(Press, 5));
        Assert.Equal(0, await Store.ReadLastSequenceAsync("plant1/assembly/none"));
    }

    [SkippableFact]
    public async Task The_watermark_is_written_with_the_events_and_never_goes_back()
    {
        var newer = new TelemetryWatermark { QueueOffset = 200, Cursor = new TelemetryCursor { Total = 50 }, CountsByTelemetry = true, LastArrival = Day };
        var older = new TelemetryWatermark { QueueOffset = 100, Cursor = new TelemetryCursor { Total = 20 } };
        Assert.Null(await Store.ReadWatermarkAsync(Press));

        await Store.AppendAsync(new MachineAppend(Press, [Numbered(Event(Press, MachineEventKind.Counted, Day))], newer));
        await Store.AppendAsync(new MachineAppend(Press, [], older));

        Assert.Equal(newer, await Store.ReadWatermarkAsync(Press));
    }

    [SkippableFact]
    public async Task A_window_comes_with_the_state_in_effect_at_its_start_and_all_corrections_of_its_events()
    {
        var from = Day.AddHours(6);
        var to = Day.AddHours(7);
        var running = StateChange(Day.AddHours(5), MachineState.Running);
        var down = StateChange(Day.AddHours(5.5), MachineState.Down);
        var counted = Event(Press, MachineEventKind.Counted, Day.AddHours(6.1)) with { TotalDelta = 40 };
        var idle = StateChange(Day.AddHours(6.2), MachineState.Idle);
        var after = StateChange(to, MachineState.Running);
        var recodeOfDown = Correction(MachineEventKind.StopRecoded, Day.AddHours(9), down);
        var voidOfRecode = Correction(MachineEventKind.Voided, Day.AddHours(10), recodeOfDown);
        var splitOfIdle = Correction(MachineEventKind.StopSplit, Day.AddHours(6.5), idle);
        var voidOfCount = Correction(MachineEventKind.Voided, Day.AddHours(12), counted);
        var recodeOfEarlier = Correction(MachineEventKind.StopRecoded, Day.AddHours(6.3), running);
        var written = new[] { voidOfRecode, recodeOfDown, running, down, counted, idle, after, splitOfIdle, voidOfCount, recodeOfEarlier }
            .Select(Numbered).ToList();
        await Store.AppendAsync(new MachineAppend(Press, written));
        await Store.AppendAsync(new MachineAppend("plant1/assembly/press-4", [Numbered(Event("plant1/assembly/press-4", MachineEventKind.Counted, Day.AddHours(6.4)))]));

        var window = await Store.ReadWindowAsync(Press, from, to);

        // recodeOfEarlier lies in the window, so it is there although the stop it recodes is not.
        Assert.Equal(
            [down.Id, counted.Id, idle.Id, recodeOfEarlier.Id, splitOfIdle.Id, recodeOfDown.Id, voidOfRecode.Id, voidOfCount.Id],
            window.Select(e => e.Id));
    }

    [SkippableFact]
    public async Task Events_at_the_same_time_keep_the_order_they_were_written_in()
    {
        var first = Numbered(StateChange(Day.AddHours(6), MachineState.Down));
        var second = Numbered(StateChange(Day.AddHours(6), MachineState.Running));
        await Store.AppendAsync(new MachineAppend(Press, [first, second]));

        var window = await Store.ReadWindowAsync(Press, Day.AddHours(6), Day.AddHours(7));

        Assert.Equal([first.Id, second.Id], window.Select(e => e.Id));
    }

    [SkippableFact]
    public async Task Recent_events_are_the_newest_recorded_first()
    {
        // A machine numbers its events as it records them; when they happened does not matter (a late stop comes last).
        var events = Enumerable.Range(0, 5)
            .Select(i => Numbered(Event(Press, MachineEventKind.Counted, Day.AddMinutes(10 - i)) with { RecordedAt = Day.AddMinutes(20 + i) }))
            .ToList();
        await Store.AppendAsync(new MachineAppend(Press, events));

        var recent = await Store.ReadRecentAsync(Press, 3);

        Assert.Equal([events[4].Id, events[3].Id, events[2].Id], recent.Select(e => e.Id));
    }

    [SkippableFact]
    public async Task Stopping_writes_what_was_appended_and_refuses_more()
    {
        var appends = Enumerable.Range(0, 1_000)
            .Select(i => Store.AppendAsync(new MachineAppend(Press, [Numbered(Event(Press, MachineEventKind.Counted, Day.AddSeconds(i)))])))
            .ToList();

        await Writer.StopAsync(CancellationToken.None);

        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully));
        Assert.Equal(1_000, await CountAsync($"SELECT count(*) FROM {EventTable};"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AppendAsync(new MachineAppend(Press, [Numbered(Event(Press, MachineEventKind.Counted, Day))])));
    }

    [SkippableFact]
    public async Task A_failed_commit_fails_its_appends_and_writes_nothing_of_them()
    {
        await ExecuteAsync($"ALTER TABLE {EventTable} RENAME TO away;");
        var lost = Numbered(Event(Press, MachineEventKind.Counted, Day));

        await Assert.ThrowsAnyAsync<Exception>(() => Store.AppendAsync(new MachineAppend(Press, [lost], new TelemetryWatermark { QueueOffset = 9 })));

        await ExecuteAsync($"ALTER TABLE away RENAME TO {EventTable};");
        Assert.Empty(await Store.ReadAfterAsync(Press, 0));
        Assert.Null(await Store.ReadWatermarkAsync(Press));

        // The same append, retried, goes through.
        await Store.AppendAsync(new MachineAppend(Press, [lost]));
        Assert.Equal([lost], await Store.ReadAfterAsync(Press, 0));
    }

    [SkippableFact]
    public async Task Events_appended_before_start_are_written_once_started()
    {
        _ = Writer;
        var early = NewStore();
        var appended = early.AppendAsync(new MachineAppend("plant1/assembly/early", [Numbered(Event("plant1/assembly/early", MachineEventKind.Counted, Day))]));
        Assert.False(appended.IsCompleted);

        await early.StartAsync(CancellationToken.None);
        await appended;
        await early.StopAsync(CancellationToken.None);

        Assert.Single(await Store.ReadRecentAsync("plant1/assembly/early", 10));
    }

    [SkippableFact]
    public async Task Events_cannot_be_changed_or_deleted()
    {
        await Store.AppendAsync(new MachineAppend(Press, [Numbered(Event(Press, MachineEventKind.Counted, Day))]));

        await Assert.ThrowsAnyAsync<Exception>(() => ExecuteAsync($"UPDATE {EventTable} SET total_delta = 99;"));
        await Assert.ThrowsAnyAsync<Exception>(() => ExecuteAsync($"DELETE FROM {EventTable};"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM {EventTable};"));
    }

    // Machines number their events at once (one task each): the dictionary is shared.
    private MachineEvent Numbered(MachineEvent e)
    {
        lock (_numbers)
        {
            var next = _numbers.GetValueOrDefault(e.MachineId) + 1;
            _numbers[e.MachineId] = next;
            return e with { Sequence = next };
        }
    }

    private static MachineEvent Event(string machineId, MachineEventKind kind, DateTimeOffset timestamp) =>
        new(Guid.NewGuid(), machineId, kind, timestamp, timestamp, EventSource.Telemetry);

    private static MachineEvent StateChange(DateTimeOffset timestamp, MachineState state) =>
        Event(Press, MachineEventKind.StateChanged, timestamp) with { State = state };

    private static MachineEvent Correction(MachineEventKind kind, DateTimeOffset timestamp, MachineEvent target) =>
        new(Guid.NewGuid(), Press, kind, timestamp, timestamp, EventSource.Operator) { RefersTo = target.Id, ReasonCode = "E7", Actor = "supervisor" };
}
