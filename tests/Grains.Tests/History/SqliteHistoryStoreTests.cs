using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Storage;
using MesOrleans.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesOrleans.Tests.History;

public sealed class SqliteHistoryStoreTests : IAsyncLifetime
{
    private const string Press = "plant1/assembly/press-3";
    private static readonly DateTimeOffset Day = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private readonly TemporaryDirectory _directory = new();
    private MesDatabase _database = null!;
    private SqliteHistoryStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = _directory.OpenDatabase();
        _store = new SqliteHistoryStore(_database, NullLogger<SqliteHistoryStore>.Instance);
        await _store.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.StopAsync(CancellationToken.None);
        _store.Dispose();
        await _database.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Events_appended_concurrently_are_all_written_exactly_once()
    {
        const int Appenders = 8;
        const int EventsEach = 2_500;

        await Task.WhenAll(Enumerable.Range(0, Appenders).Select(appender => Task.Run(() =>
        {
            for (var i = 0; i < EventsEach; i++)
            {
                _store.Append(Event($"plant1/assembly/m{appender}", MachineEventKind.Counted, Day.AddSeconds(i)) with { TotalDelta = 1 });
            }
        })));
        await _store.FlushAsync();

        Assert.Equal(0, _store.PendingCount);
        Assert.Equal(Appenders * EventsEach, await CountAsync("SELECT count(DISTINCT id) FROM machine_event;"));
        Assert.Equal(Appenders * EventsEach, await CountAsync("SELECT sum(total_delta) FROM machine_event;"));
        var recent = await _store.ReadRecentAsync("plant1/assembly/m3", EventsEach + 1);
        Assert.Equal(EventsEach, recent.Count);
    }

    [Fact]
    public async Task Appending_an_event_again_stores_it_once()
    {
        var counted = Event(Press, MachineEventKind.Counted, Day) with { TotalDelta = 5 };
        _store.Append(counted);
        _store.Append(counted);
        await _store.FlushAsync();
        _store.Append(counted);
        await _store.FlushAsync();

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM machine_event;"));
    }

    [Fact]
    public async Task Every_field_reads_back_as_written()
    {
        var recoded = new MachineEvent(Guid.NewGuid(), Press, MachineEventKind.StopRecoded, Day.AddHours(8), Day.AddHours(9), EventSource.Operator)
        {
            State = MachineState.Down,
            ReasonCode = "E12",
            TotalDelta = 7,
            ScrapDelta = 2,
            RefersTo = Guid.NewGuid(),
            Actor = "anna",
            Note = "tool change, not a jam",
        };
        _store.Append(recoded);
        await _store.FlushAsync();

        var read = Assert.Single(await _store.ReadRecentAsync(Press, 10));

        Assert.Equal(recoded, read);
    }

    [Fact]
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
        var otherMachine = Event("plant1/assembly/press-4", MachineEventKind.Counted, Day.AddHours(6.4));
        foreach (var e in new[] { voidOfRecode, recodeOfDown, running, down, counted, idle, after, splitOfIdle, voidOfCount, recodeOfEarlier, otherMachine })
        {
            _store.Append(e);
        }

        await _store.FlushAsync();

        var window = await _store.ReadWindowAsync(Press, from, to);

        // recodeOfEarlier lies in the window, so it is there although the stop it recodes is not.
        Assert.Equal(
            [down.Id, counted.Id, idle.Id, recodeOfEarlier.Id, splitOfIdle.Id, recodeOfDown.Id, voidOfRecode.Id, voidOfCount.Id],
            window.Select(e => e.Id));
    }

    [Fact]
    public async Task Events_at_the_same_time_keep_the_order_they_were_written_in()
    {
        var first = StateChange(Day.AddHours(6), MachineState.Down);
        var second = StateChange(Day.AddHours(6), MachineState.Running);
        _store.Append(first);
        _store.Append(second);
        await _store.FlushAsync();

        var window = await _store.ReadWindowAsync(Press, Day.AddHours(6), Day.AddHours(7));

        Assert.Equal([first.Id, second.Id], window.Select(e => e.Id));
    }

    [Fact]
    public async Task Recent_events_are_the_newest_recorded_first()
    {
        var events = Enumerable.Range(0, 5)
            .Select(i => Event(Press, MachineEventKind.Counted, Day) with { RecordedAt = Day.AddMinutes(10 - i) })
            .ToList();
        events.ForEach(_store.Append);
        await _store.FlushAsync();

        var recent = await _store.ReadRecentAsync(Press, 3);

        Assert.Equal([events[0].Id, events[1].Id, events[2].Id], recent.Select(e => e.Id));
    }

    [Fact]
    public async Task Stopping_writes_everything_still_queued()
    {
        for (var i = 0; i < 1_000; i++)
        {
            _store.Append(Event(Press, MachineEventKind.Counted, Day.AddSeconds(i)));
        }

        await _store.StopAsync(CancellationToken.None);

        Assert.Equal(0, _store.PendingCount);
        Assert.Equal(1_000, await CountAsync("SELECT count(*) FROM machine_event;"));
        Assert.Throws<InvalidOperationException>(() => _store.Append(Event(Press, MachineEventKind.Counted, Day)));
    }

    [Fact]
    public async Task A_failed_write_is_retried_and_loses_nothing()
    {
        var logger = new FirstWarningLogger<SqliteHistoryStore>();
        using var store = new SqliteHistoryStore(_database, logger);
        await store.StartAsync(CancellationToken.None);
        await RenameEventTableAsync("machine_event", "machine_event_away");
        var counted = Event(Press, MachineEventKind.Counted, Day);

        store.Append(counted);
        var flushed = store.FlushAsync();
        var failure = await logger.Warned.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(flushed.IsCompleted);
        Assert.Equal(1, store.PendingCount);
        await RenameEventTableAsync("machine_event_away", "machine_event");
        await flushed;
        await store.StopAsync(CancellationToken.None);

        Assert.Contains("machine_event", failure?.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.PendingCount);
        Assert.Equal(counted, Assert.Single(await store.ReadRecentAsync(Press, 10)));
    }

    [Fact]
    public async Task Events_appended_before_start_are_written_once_started()
    {
        await using var database = _directory.OpenDatabase();
        using var store = new SqliteHistoryStore(database, NullLogger<SqliteHistoryStore>.Instance);
        store.Append(Event("plant1/assembly/early", MachineEventKind.Counted, Day));

        await store.StartAsync(CancellationToken.None);
        await store.FlushAsync();
        await store.StopAsync(CancellationToken.None);

        Assert.Single(await _store.ReadRecentAsync("plant1/assembly/early", 10));
    }

    private static MachineEvent Event(string machineId, MachineEventKind kind, DateTimeOffset timestamp) =>
        new(Guid.NewGuid(), machineId, kind, timestamp, timestamp, EventSource.Telemetry);

    private static MachineEvent StateChange(DateTimeOffset timestamp, MachineState state) =>
        Event(Press, MachineEventKind.StateChanged, timestamp) with { State = state };

    private static MachineEvent Correction(MachineEventKind kind, DateTimeOffset timestamp, MachineEvent target) =>
        new(Guid.NewGuid(), Press, kind, timestamp, timestamp, EventSource.Operator) { RefersTo = target.Id, ReasonCode = "E7", Actor = "supervisor" };

    private Task<int> RenameEventTableAsync(string from, string to) =>
        _database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"ALTER TABLE {from} RENAME TO {to};";
            return await command.ExecuteNonQueryAsync();
        });

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await _database.OpenReadConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
