using System.Text;
using MesOrleans.Telemetry.Queue;
using MesOrleans.Testing;
using MesOrleans.Tests.History;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MesOrleans.Tests.Telemetry.Queue;

[Collection(PostgresCollection.Name)]
public sealed class PostgresTelemetryQueueTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly List<PostgresTelemetryQueue> _opened = [];
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync()
    {
        if (PostgresServer.Missing is null)
        {
            _dataSource = NpgsqlDataSource.Create(await postgres.Server!.CreateMesDatabaseAsync("queue"));
        }
    }

    public async Task DisposeAsync()
    {
        _opened.ForEach(q => q.Dispose());
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Messages_are_read_back_per_partition_in_order_and_leave_only_when_deleted()
    {
        var queue = await OpenAsync(new TelemetryQueueOptions { Partitions = 2 });
        await queue.EnqueueAsync(0, "telemetry", "a/l/m1", Payload("one"));
        await queue.EnqueueAsync(1, "telemetry", "a/l/m2", Payload("two"));
        await queue.EnqueueAsync(0, "telemetry", "a/l/m1", Payload("three"));

        using var reader = queue.OpenReader(0);
        var read = await Eventually.ReadAsync(() => reader.ReadAsync(0, 10), r => r.Count == 2);

        Assert.Equal(["one", "three"], read.Select(m => Text(m.Payload)));
        Assert.Equal("a/l/m1", read[0].StreamKey);
        Assert.True(read[1].Id > read[0].Id);
        Assert.Equal(3, queue.Depth);

        await queue.DeleteAsync(0, read.Select(m => m.Id).ToList());

        Assert.Equal(1, queue.Depth);
        Assert.Equal(1, (await queue.StatusAsync()).Depth);
        Assert.NotNull((await queue.StatusAsync()).OldestEnqueuedAt);
    }

    [SkippableFact]
    public async Task Ids_become_visible_in_order_even_when_two_silos_insert_at_once_so_a_reader_misses_none()
    {
        var silos = new[] { await OpenAsync(new TelemetryQueueOptions { Partitions = 1 }), await OpenAsync(new TelemetryQueueOptions { Partitions = 1 }) };
        using var reader = silos[0].OpenReader(0);
        var seen = new List<QueuedMessage>();
        using var done = new CancellationTokenSource();

        // The reader moves on past the highest id it saw, as the pulling agent does: an id that became visible late would be skipped.
        var reading = Task.Run(async () =>
        {
            var after = 0L;
            while (!done.IsCancellationRequested || seen.Count < 3_200)
            {
                foreach (var message in await reader.ReadAsync(after, 500))
                {
                    seen.Add(message);
                    after = message.Id;
                }

                await Task.Delay(1);
            }
        });
        await Task.WhenAll(silos.SelectMany(silo => Enumerable.Range(0, 8).Select(connection => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await silo.EnqueueAsync(0, "telemetry", "s/l/m", Payload($"{silo.GetHashCode()}:{connection}:{i}"));
            }
        }))));
        done.Cancel();
        await reading.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(3_200, seen.Count);
        Assert.Equal(3_200, seen.Select(m => Text(m.Payload)).Distinct().Count());
    }

    [SkippableFact]
    public async Task A_commit_that_fails_fails_its_messages_and_says_so_in_the_status()
    {
        var queue = await OpenAsync(new TelemetryQueueOptions());
        await using (var rename = _dataSource!.CreateCommand("ALTER TABLE mes_telemetry_queue RENAME TO away;"))
        {
            await rename.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAnyAsync<PostgresException>(() => queue.EnqueueAsync(0, "telemetry", "s/l/m", Payload("lost")));

        Assert.NotNull((await queue.StatusAsync()).LastFailure);
    }

    private async Task<PostgresTelemetryQueue> OpenAsync(TelemetryQueueOptions options)
    {
        RequiredComponent.SkipOrFailIfMissing(PostgresServer.Missing);
        var queue = new PostgresTelemetryQueue(_dataSource!, options, TimeProvider.System, NullLogger<PostgresTelemetryQueue>.Instance);
        await queue.OpenAsync();
        _opened.Add(queue);
        return queue;
    }

    private static byte[] Payload(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] payload) => Encoding.UTF8.GetString(payload);
}
