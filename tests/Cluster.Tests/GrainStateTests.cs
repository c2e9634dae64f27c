using MesOrleans.Cluster.Tests.Probes;
using MesOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MesOrleans.Cluster.Tests;

/// <summary>Grain state in PostgreSQL through the Orleans ADO.NET provider and our scripts: round trips and stale writes.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GrainStateTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ClusterSettings _cluster = null!;
    private TestSilo _first = null!;
    private TestSilo _second = null!;

    public async Task InitializeAsync()
    {
        if (postgres.Server is null)
        {
            return;
        }

        _cluster = ClusterSettings.Create(await postgres.Server.CreateMesDatabaseAsync("state"));
        _first = await TestSilo.StartAsync(_cluster, "state-1");
        _second = await TestSilo.StartAsync(_cluster, "state-2");
    }

    public async Task DisposeAsync()
    {
        if (postgres.Server is not null)
        {
            await _second.DisposeAsync();
            await _first.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task State_written_by_a_grain_is_read_back_by_its_next_activation_as_JSON_without_type_names()
    {
        postgres.Require();
        var key = "note-" + Guid.NewGuid().ToString("N");
        var grain = _first.Grains.GetGrain<INoteGrain>(key);

        await grain.WriteAsync("first");
        await grain.WriteAsync("Ünïcode and \"quotes\"");
        await grain.DeactivateAsync();
        var read = await _second.Grains.GetGrain<INoteGrain>(key).ReadAsync();

        Assert.Equal("Ünïcode and \"quotes\"", read.Text);
        Assert.Equal(2, read.Writes);
        Assert.Equal("2", read.ETag);
        var payload = Assert.Single(await SchemaTests.QueryAsync(_cluster.ConnectionString,
            $"SELECT convert_from(payload, 'UTF8') FROM orleans_grain_state WHERE grain_id_string = '{key}'"));
        Assert.Contains("\"Writes\":2", payload);
        Assert.DoesNotContain("$type", payload);
    }

    [SkippableFact]
    public async Task A_grain_whose_state_was_written_elsewhere_is_refused_its_write_and_reads_the_newer_state()
    {
        postgres.Require();
        var grain = _first.Grains.GetGrain<INoteGrain>("note-" + Guid.NewGuid().ToString("N"));
        await grain.WriteAsync("mine");

        // Another writer (a second activation after a partition, a tool) moves the stored state on.
        var storage = Storage(_second);
        var elsewhere = new GrainState<NoteState>();
        await storage.ReadStateAsync("note", grain.GetGrainId(), elsewhere);
        elsewhere.State!.Text = "theirs";
        await storage.WriteStateAsync("note", grain.GetGrainId(), elsewhere);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.WriteAsync("stale"));
        var after = await Eventually.ReadAsync(() => grain.ReadAsync(), note => note.Text == "theirs");
        Assert.Equal("theirs", after.Text);
    }

    [SkippableFact]
    public async Task The_storage_refuses_every_write_and_clear_that_names_an_old_version()
    {
        postgres.Require();
        var storage = Storage(_first);
        var id = GrainId.Create("probe", "stale-" + Guid.NewGuid().ToString("N"));
        var a = new GrainState<NoteState>();
        var b = new GrainState<NoteState>();
        await storage.ReadStateAsync("note", id, a);
        await storage.ReadStateAsync("note", id, b);

        a.State!.Text = "a1";
        await storage.WriteStateAsync("note", id, a);
        b.State!.Text = "b1";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("note", id, b));

        await storage.ReadStateAsync("note", id, b);
        b.State!.Text = "b2";
        await storage.WriteStateAsync("note", id, b);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("note", id, a));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("note", id, a));

        var read = new GrainState<NoteState>();
        await storage.ReadStateAsync("note", id, read);
        Assert.Equal(("b2", "2", true), (read.State!.Text, read.ETag, read.RecordExists));
    }

    [SkippableFact]
    public async Task Clearing_keeps_the_version_so_a_stale_activation_still_cannot_write()
    {
        postgres.Require();
        var storage = Storage(_first);
        var id = GrainId.Create("probe", "clear-" + Guid.NewGuid().ToString("N"));
        var current = new GrainState<NoteState>(new NoteState { Text = "x" });
        await storage.WriteStateAsync("note", id, current);
        var stale = new GrainState<NoteState>(new NoteState { Text = "old" }) { ETag = current.ETag };

        await storage.ClearStateAsync("note", id, current);
        var read = new GrainState<NoteState>();
        await storage.ReadStateAsync("note", id, read);

        Assert.False(read.RecordExists);
        Assert.Equal("", read.State!.Text);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("note", id, stale));
        read.State!.Text = "again";
        await storage.WriteStateAsync("note", id, read);
    }

    [SkippableFact]
    public async Task Integer_keys_without_an_extension_are_one_row_each_and_never_inserted_twice()
    {
        postgres.Require();
        var storage = Storage(_first);
        var key = Random.Shared.NextInt64(1, long.MaxValue);
        var id = GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(key));
        var other = GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(key - 1));

        await storage.WriteStateAsync("note", id, new GrainState<NoteState>(new NoteState { Text = "one" }));
        await storage.WriteStateAsync("note", other, new GrainState<NoteState>(new NoteState { Text = "neighbour" }));

        // A second first write of the same grain (no ETag) must conflict, not add a row beside the first.
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync("note", id, new GrainState<NoteState>(new NoteState { Text = "two" })));
        var read = new GrainState<NoteState>();
        await storage.ReadStateAsync("note", id, read);
        Assert.Equal("one", read.State!.Text);
    }

    private static IGrainStorage Storage(TestSilo silo) => silo.Services.GetRequiredKeyedService<IGrainStorage>(MesStorage.Name);
}
