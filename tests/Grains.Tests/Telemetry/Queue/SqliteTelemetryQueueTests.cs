using System.Text;
using MesOrleans.Telemetry.Queue;
using MesOrleans.Tests.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MesOrleans.Tests.Telemetry.Queue;

public sealed class SqliteTelemetryQueueTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero));
    private readonly List<SqliteTelemetryQueue> _opened = [];

    private string QueuePath => Path.Combine(_directory.Root, "telemetry-queue.db");

    public void Dispose()
    {
        _opened.ForEach(q => q.Dispose());
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Messages_are_read_back_per_partition_in_order_and_leave_only_when_deleted()
    {
        var queue = await OpenAsync(new TelemetryQueueOptions { Partitions = 2 });
        await queue.EnqueueAsync(0, "telemetry", "a/l/m1", Payload("one"));
        await queue.EnqueueAsync(1, "telemetry", "a/l/m2", Payload("two"));
        await queue.EnqueueAsync(0, "telemetry", "a/l/m1", Payload("three"));

        using var reader = queue.OpenReader(0);
        var read = await reader.ReadAsync(0, 10);

        Assert.Equal(["one", "three"], read.Select(m => Text(m.Payload)));
        Assert.Equal("a/l/m1", read[0].StreamKey);
        Assert.True(read[1].Id > read[0].Id);
        Assert.Equal(3, queue.Depth);
        Assert.Equal([read[1].Id], (await reader.ReadAsync(read[0].Id, 10)).Select(m => m.Id));
        Assert.Empty(await reader.ReadAsync(read[1].Id, 10));

        await queue.DeleteAsync(0, read.Select(m => m.Id).ToList());

        Assert.Empty(await reader.ReadAsync(0, 10));
        Assert.Equal(1, queue.Depth);
        Assert.Equal(1, (await queue.StatusAsync()).Depth);
    }

    [Fact]
    public async Task Messages_enqueued_from_many_connections_at_once_are_all_stored_once_with_distinct_ids()
    {
        var queue = await OpenAsync(new TelemetryQueueOptions { Partitions = 4 });

        await Task.WhenAll(Enumerable.Range(0, 16).Select(connection => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                await queue.EnqueueAsync(connection % 4, "telemetry", $"s/l/m{connection}", Payload($"{connection}:{i}"));
            }
        })));

        var all = new List<QueuedMessage>();
        for (var p = 0; p < 4; p++)
        {
            using var reader = queue.OpenReader(p);
            all.AddRange(await reader.ReadAsync(0, 10_000));
        }

        Assert.Equal(4_000, all.Count);
        Assert.Equal(4_000, all.Select(m => m.Id).Distinct().Count());
        Assert.Equal(4_000, all.Select(m => Text(m.Payload)).Distinct().Count());
        Assert.Equal(4_000, queue.Depth);

        // Each connection's messages keep their order.
        Assert.All(all.GroupBy(m => m.StreamKey), g => Assert.Equal(
            g.OrderBy(m => m.Id).Select(m => int.Parse(Text(m.Payload).Split(':')[1])),
            Enumerable.Range(0, 250)));
    }

    [Fact]
    public async Task What_was_left_undelivered_is_still_there_after_reopening_and_new_ids_come_after_it()
    {
        var first = await OpenAsync(new TelemetryQueueOptions());
        await first.EnqueueAsync(0, "telemetry", "s/l/m", Payload("kept"));
        long keptId;
        using (var reader = first.OpenReader(0))
        {
            keptId = Assert.Single(await reader.ReadAsync(0, 10)).Id;
        }

        Close(first);
        var again = await OpenAsync(new TelemetryQueueOptions());
        await again.EnqueueAsync(0, "telemetry", "s/l/m", Payload("new"));

        Assert.Equal(2, again.Depth);
        using var read = again.OpenReader(0);
        var messages = await read.ReadAsync(0, 10);
        Assert.Equal(["kept", "new"], messages.Select(m => Text(m.Payload)));
        Assert.Equal(keptId, messages[0].Id);
    }

    [Fact]
    public async Task A_queue_file_made_again_numbers_after_the_one_it_replaces()
    {
        var first = await OpenAsync(new TelemetryQueueOptions());
        await first.EnqueueAsync(0, "telemetry", "s/l/m", Payload("old"));
        long oldId;
        using (var reader = first.OpenReader(0))
        {
            oldId = Assert.Single(await reader.ReadAsync(0, 10)).Id;
        }

        Close(first);
        File.Delete(QueuePath);
        _time.Advance(TimeSpan.FromSeconds(1));
        var remade = await OpenAsync(new TelemetryQueueOptions());
        await remade.EnqueueAsync(0, "telemetry", "s/l/m", Payload("new"));

        using var again = remade.OpenReader(0);
        Assert.True(Assert.Single(await again.ReadAsync(0, 10)).Id > oldId);
    }

    [Fact]
    public async Task Past_the_backpressure_depth_a_message_waits_for_room_and_is_refused_when_none_comes()
    {
        var queue = await OpenAsync(new TelemetryQueueOptions { BackpressureDepth = 100, MaxBackpressureWait = TimeSpan.FromMilliseconds(200) });
        for (var i = 0; i < 100; i++)
        {
            await queue.EnqueueAsync(0, "telemetry", "s/l/m", Payload($"{i}"));
        }

        var waiting = queue.EnqueueAsync(0, "telemetry", "s/l/m", Payload("waits"));
        Assert.False(waiting.IsCompleted);
        using (var reader = queue.OpenReader(0))
        {
            await queue.DeleteAsync(0, (await reader.ReadAsync(0, 10)).Select(m => m.Id).ToList());
        }

        await waiting;
        Assert.Equal(91, queue.Depth);
        Assert.False((await queue.StatusAsync()).Slowed);

        for (var i = 0; i < 9; i++)
        {
            await queue.EnqueueAsync(0, "telemetry", "s/l/m", Payload("fill"));
        }

        await Assert.ThrowsAsync<TelemetryRefusedException>(() => queue.EnqueueAsync(0, "telemetry", "s/l/m", Payload("refused")));
        var status = await queue.StatusAsync();
        Assert.Equal(100, status.Depth);
        Assert.Equal(1, status.Refused);
        Assert.True(status.Slowed);
    }

    [Fact]
    public async Task A_commit_that_fails_fails_its_messages_and_says_so_in_the_status()
    {
        var queue = await OpenAsync(new TelemetryQueueOptions());
        await queue.EnqueueAsync(0, "telemetry", "s/l/m", Payload("before"));
        await using (var connection = new SqliteConnection($"Data Source={QueuePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE telemetry_queue RENAME TO away;";
            await command.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAnyAsync<SqliteException>(() => queue.EnqueueAsync(0, "telemetry", "s/l/m", Payload("lost")));

        Assert.NotNull((await queue.StatusAsync()).LastFailure);
        Assert.Equal(1, queue.Depth);
    }

    [Theory]
    [InlineData(0, 20_000, 1_000_000, "Partitions")]
    [InlineData(4, 50, 1_000_000, "BackpressureDepth")]
    [InlineData(4, 20_000, 10_000, "MaxDepth")]
    public void Settings_that_cannot_work_are_refused_naming_the_key(int partitions, int backpressure, int max, string key)
    {
        var result = new TelemetryQueueOptionsValidator().Validate(null, new TelemetryQueueOptions
        {
            Partitions = partitions,
            BackpressureDepth = backpressure,
            MaxDepth = max,
        });

        Assert.True(result.Failed);
        Assert.Contains($"Mes:Telemetry:Queue:{key}", result.FailureMessage, StringComparison.Ordinal);
    }

    private async Task<SqliteTelemetryQueue> OpenAsync(TelemetryQueueOptions options)
    {
        var queue = new SqliteTelemetryQueue(QueuePath, options, _time, NullLogger<SqliteTelemetryQueue>.Instance);
        await queue.OpenAsync();
        _opened.Add(queue);
        return queue;
    }

    private void Close(SqliteTelemetryQueue queue)
    {
        queue.Dispose();
        _opened.Remove(queue);
        SqliteConnection.ClearAllPools();
    }

    private static byte[] Payload(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] payload) => Encoding.UTF8.GetString(payload);
}
