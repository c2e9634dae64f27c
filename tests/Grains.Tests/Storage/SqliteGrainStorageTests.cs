using System.Collections.Immutable;
using MesOrleans.Machines;
using MesOrleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace MesOrleans.Tests.Storage;

public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private const string StateName = "machine";
    private static readonly GrainId Press = GrainId.Create("machine", "plant1/assembly/press-3");

    private readonly TemporaryDirectory _directory = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private readonly List<MesDatabase> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        await _services.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_written_state_reads_back_equal()
    {
        var storage = CreateStorage();
        var written = new TestMachineState
        {
            State = MachineState.Down,
            Since = new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.FromHours(2)),
            IdealCycleTime = TimeSpan.FromSeconds(12.5),
            OpenDowntimeReason = "E12",
            PreviousState = MachineState.Running,
            Stops = [new TestStop("E12", new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(3)), new TestStop("E7", DateTimeOffset.UnixEpoch, null)],
            Sequences = [3, 1, 2],
            Counters = new() { ["total"] = 12345, ["scrap"] = 17 },
            LastEventId = Guid.NewGuid(),
        };
        var state = new GrainState<TestMachineState>(written);

        await storage.WriteStateAsync(StateName, Press, state);
        var read = new GrainState<TestMachineState>();
        await storage.ReadStateAsync(StateName, Press, read);

        Assert.True(read.RecordExists);
        Assert.Equal("1", read.ETag);
        Assert.Equal(state.ETag, read.ETag);
        var actual = Value(read);
        Assert.Equal(written.State, actual.State);
        Assert.Equal(written.Since, actual.Since);
        Assert.Equal(written.Since.Offset, actual.Since.Offset);
        Assert.Equal(written.IdealCycleTime, actual.IdealCycleTime);
        Assert.Equal(written.OpenDowntimeReason, actual.OpenDowntimeReason);
        Assert.Equal(written.PreviousState, actual.PreviousState);
        Assert.Equal(written.Stops, actual.Stops);
        Assert.Equal(written.Sequences, actual.Sequences);
        Assert.Equal(written.Counters, actual.Counters);
        Assert.Equal(written.LastEventId, actual.LastEventId);
    }

    [Fact]
    public async Task Enums_are_stored_by_name_without_type_names()
    {
        var storage = CreateStorage();
        await storage.WriteStateAsync(StateName, Press, new GrainState<TestMachineState>(new TestMachineState { State = MachineState.Changeover }));

        await using var connection = await _databases[0].OpenReadConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state;";
        var payload = (string)(await command.ExecuteScalarAsync())!;

        Assert.Contains("\"State\":\"Changeover\"", payload, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(TestMachineState), payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_row_reads_as_the_default_state()
    {
        var read = new GrainState<TestMachineState>();

        await CreateStorage().ReadStateAsync(StateName, Press, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(MachineState.Offline, Value(read).State);
        Assert.Empty(Value(read).Stops);
    }

    [Fact]
    public async Task A_positional_record_state_round_trips_and_defaults()
    {
        var storage = CreateStorage();
        var missing = new GrainState<TestStop>();
        await storage.ReadStateAsync("stop", Press, missing);
        Assert.False(missing.RecordExists);
        Assert.NotNull(missing.State);

        var stop = new TestStop("E12", new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(4));
        await storage.WriteStateAsync("stop", Press, new GrainState<TestStop>(stop));
        var read = new GrainState<TestStop>();
        await storage.ReadStateAsync("stop", Press, read);

        Assert.Equal(stop, read.State);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_rejected_and_changes_nothing()
    {
        var storage = CreateStorage();
        var current = new GrainState<TestMachineState>(new TestMachineState { Version = 1 });
        await storage.WriteStateAsync(StateName, Press, current);
        var stale = new GrainState<TestMachineState>(new TestMachineState { Version = 99 }, current.ETag);
        current.State = Value(current) with { Version = 2 };
        await storage.WriteStateAsync(StateName, Press, current);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Press, stale));

        Assert.Equal("2", error.StoredEtag);
        Assert.Equal("1", error.CurrentEtag);
        var read = new GrainState<TestMachineState>();
        await storage.ReadStateAsync(StateName, Press, read);
        Assert.Equal(2, Value(read).Version);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task A_first_write_over_a_row_written_by_someone_else_is_rejected()
    {
        var storage = CreateStorage();
        await storage.WriteStateAsync(StateName, Press, new GrainState<TestMachineState>(new TestMachineState { Version = 1 }));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(StateName, Press, new GrainState<TestMachineState>(new TestMachineState { Version = 2 })));
    }

    [Fact]
    public async Task Clear_deletes_the_row_and_resets_the_state()
    {
        var storage = CreateStorage();
        var state = new GrainState<TestMachineState>(new TestMachineState { Version = 5 });
        await storage.WriteStateAsync(StateName, Press, state);
        var stale = new GrainState<TestMachineState>(state.State, state.ETag);
        await storage.WriteStateAsync(StateName, Press, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Press, stale));
        await storage.ClearStateAsync(StateName, Press, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, Value(state).Version);
        var read = new GrainState<TestMachineState>();
        await storage.ReadStateAsync(StateName, Press, read);
        Assert.False(read.RecordExists);

        await storage.WriteStateAsync(StateName, Press, state);
        Assert.Equal("1", state.ETag);
    }

    [Fact]
    public async Task States_are_keyed_by_grain_type_key_and_state_name()
    {
        var storage = CreateStorage();
        var line = GrainId.Create("line", "plant1/assembly/press-3");
        await storage.WriteStateAsync(StateName, Press, new GrainState<TestMachineState>(new TestMachineState { Version = 1 }));
        await storage.WriteStateAsync(StateName, line, new GrainState<TestMachineState>(new TestMachineState { Version = 2 }));
        await storage.WriteStateAsync("other", Press, new GrainState<TestMachineState>(new TestMachineState { Version = 3 }));

        var read = new GrainState<TestMachineState>();
        await storage.ReadStateAsync(StateName, Press, read);

        Assert.Equal(1, Value(read).Version);
    }

    [Fact]
    public async Task Two_silos_writing_the_same_grain_concurrently_lose_no_update()
    {
        // Two MesDatabase instances on one file, as two silos sharing mes.db would have.
        IGrainStorage[] silos = [CreateStorage(), CreateStorage()];
        const int WritersPerSilo = 4;
        const int IncrementsPerWriter = 25;

        var writers = silos.SelectMany(storage => Enumerable.Range(0, WritersPerSilo).Select(_ => Task.Run(async () =>
        {
            var state = new GrainState<TestMachineState>();
            await storage.ReadStateAsync(StateName, Press, state);
            for (var done = 0; done < IncrementsPerWriter;)
            {
                try
                {
                    state.State = Value(state) with { Version = Value(state).Version + 1 };
                    await storage.WriteStateAsync(StateName, Press, state);
                    done++;
                }
                catch (InconsistentStateException)
                {
                    await storage.ReadStateAsync(StateName, Press, state);
                }
            }
        })));
        await Task.WhenAll(writers);

        var final = new GrainState<TestMachineState>();
        await silos[1].ReadStateAsync(StateName, Press, final);
        const int Total = 2 * WritersPerSilo * IncrementsPerWriter;
        Assert.Equal(Total, Value(final).Version);
        Assert.Equal(Total.ToString(System.Globalization.CultureInfo.InvariantCulture), final.ETag);
    }

    private static T Value<T>(GrainState<T> state) => state.State ?? throw new InvalidOperationException("The storage left the state null.");

    private SqliteGrainStorage CreateStorage()
    {
        var database = _directory.OpenDatabase();
        _databases.Add(database);
        return new SqliteGrainStorage(
            "test",
            database,
            _services.GetRequiredService<IActivatorProvider>(),
            NullLogger<SqliteGrainStorage>.Instance);
    }
}
