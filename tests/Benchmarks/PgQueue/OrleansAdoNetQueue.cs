using MesOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Streams;

namespace MesOrleans.Benchmarks.PgQueue;

/// <summary>
/// Microsoft.Orleans.Streaming.AdoNet's queue adapter and receiver, as a silo's pulling agent would use them: a silo
/// with the provider configured (one queue, its agents not started) lends its adapter factory to the benchmark.
/// </summary>
internal sealed class OrleansAdoNetQueue(IHost host, IQueueAdapter adapter, IQueueAdapterReceiver receiver) : QueueBenchmark.IBenchQueue
{
    private const string Provider = "bench";
    private readonly QueueBenchmark.IdOrder _order = new();

    public long Reordered => _order.Reordered;

    public static async Task<OrleansAdoNetQueue> StartAsync(string connectionString)
    {
        await OrleansStreamingContract.ApplyAsync(connectionString);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production, DisableDefaults = true });
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next());
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.AddAdoNetStreams(Provider, stream =>
            {
                stream.ConfigureAdoNet(options => options.Configure(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                }));
                stream.ConfigurePartitioning(1);
                stream.ConfigureLifecycle(options => options.Configure(o => o.StartupState = StreamLifecycleOptions.RunState.Initialized));
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        var factory = host.Services.GetRequiredKeyedService<IQueueAdapterFactory>(Provider);
        var adapter = await factory.CreateAdapter(CancellationToken.None);
        var receiver = adapter.CreateReceiver(factory.GetStreamQueueMapper().GetAllQueues().Single());
        await receiver.Initialize(TimeSpan.FromSeconds(10));
        return new OrleansAdoNetQueue(host, adapter, receiver);
    }

    public Task EnqueueAsync(string streamKey, byte[] payload) =>
        adapter.QueueMessageBatchAsync(StreamId.Create("telemetry", streamKey), [payload], null, null);

    public async Task<int> ReadAndAcknowledgeAsync(int max)
    {
        var messages = await receiver.GetQueueMessagesAsync(max, CancellationToken.None);
        if (messages.Count > 0)
        {
            _order.Observe(messages.Select(m => m.SequenceToken.SequenceNumber));
            await receiver.MessagesDeliveredAsync(messages, CancellationToken.None);
        }

        return messages.Count;
    }

    public async ValueTask DisposeAsync()
    {
        await receiver.Shutdown(TimeSpan.FromSeconds(10));
        await host.StopAsync();
        host.Dispose();
    }
}
