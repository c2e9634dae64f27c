using MesOrleans.Plant;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesOrleans.Simulator.Tests.Publishing;

public sealed class TelemetryPublisherTests : IDisposable
{
    // Safety nets only: each wait completes as soon as its signal comes.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _patience = new(Patience);

    public void Dispose() => _patience.Dispose();

    [Fact]
    public async Task The_broker_receives_every_message_and_the_final_counters_match_the_ground_truth()
    {
        await using var broker = await TestBroker.StartAsync();
        var simulation = new PlantSimulation(TestPlants.Small, TestPlants.EarlyShiftStart, 21);
        long sent;
        await using (var publisher = new TelemetryPublisher(broker.Endpoint, NullLogger<TelemetryPublisher>.Instance, maxInFlight: 32))
        {
            await publisher.ConnectAsync(_patience.Token);

            // 8 simulated hours, across the break, at 100,000 times real time: the broker sets the pace.
            var runner = new SimulationRunner(simulation, publisher, TimeProvider.System, NullLogger<SimulationRunner>.Instance);
            await runner.RunAsync(100_000, TestPlants.EarlyShiftStart.AddHours(8), _patience.Token);
            await publisher.FlushAsync(_patience.Token);

            sent = simulation.GroundTruth.Machines.Sum(m => m.LastSequence);
            Assert.Equal((sent, 0L), (publisher.Published, publisher.Failed));
        }

        Assert.Equal(sent, broker.Messages.Count);
        AssertFinalCountersMatch(simulation.GroundTruth, broker.Messages);
    }

    [Fact]
    public async Task The_publisher_waits_for_a_broker_that_is_not_there_yet()
    {
        var port = TestBroker.FreePort();
        await using var publisher = new TelemetryPublisher(new BrokerEndpoint("127.0.0.1", port), NullLogger<TelemetryPublisher>.Instance);

        var connecting = publisher.ConnectAsync(_patience.Token);
        Assert.False(connecting.IsCompleted);
        await using var broker = await TestBroker.StartAsync(port);
        await connecting.WaitAsync(Patience);

        Assert.True(publisher.IsConnected);
    }

    [Fact]
    public async Task Messages_whose_connection_broke_are_sent_again_after_reconnecting()
    {
        var port = TestBroker.FreePort();
        var simulation = new PlantSimulation(TestPlants.Small, TestPlants.EarlyShiftStart, 22);
        await using var publisher = new TelemetryPublisher(new BrokerEndpoint("127.0.0.1", port), NullLogger<TelemetryPublisher>.Instance);

        await using (var first = await TestBroker.StartAsync(port))
        {
            await publisher.ConnectAsync(_patience.Token);
            await PublishAsync(simulation.Advance(TestPlants.EarlyShiftStart.AddHours(1)), publisher);
            await publisher.FlushAsync(_patience.Token);
        }

        // The broker is gone: these wait for it, more than fit in flight, so publishing holds back until the broker
        // comes back on the same port.
        var later = simulation.Advance(TestPlants.EarlyShiftStart.AddHours(2)).ToList();
        Assert.True(later.Count > TelemetryPublisher.DefaultMaxInFlight);
        var publishing = PublishAsync(later, publisher);
        Assert.False(publishing.IsCompleted);
        await using var second = await TestBroker.StartAsync(port);
        await publishing;
        await publisher.FlushAsync(_patience.Token);

        Assert.Equal(0, publisher.Failed);
        Assert.Equal(simulation.GroundTruth.Machines.Sum(m => m.LastSequence), publisher.Published);
        Assert.Equal(later.Count, second.Messages.Count);
        AssertFinalCountersMatch(simulation.GroundTruth, second.Messages);
    }

    [Fact]
    public async Task Disposing_without_a_broker_counts_what_was_never_sent_as_failed()
    {
        var publisher = new TelemetryPublisher(new BrokerEndpoint("127.0.0.1", TestBroker.FreePort()), NullLogger<TelemetryPublisher>.Instance);
        var messages = new PlantSimulation(TestPlants.Small, TestPlants.EarlyShiftStart, 23).Advance(TestPlants.EarlyShiftStart).ToList();

        await PublishAsync(messages, publisher);
        await publisher.DisposeAsync();

        Assert.Equal((0L, (long)messages.Count), (publisher.Published, publisher.Failed));
    }

    private static void AssertFinalCountersMatch(GroundTruth truth, IEnumerable<(string Topic, string Payload)> received)
    {
        var lastCounts = received
            .Where(m => m.Topic.EndsWith("/count", StringComparison.Ordinal))
            .Select(m => (m.Topic, Payload: ContractPayload.Parse("count", m.Payload)))
            .GroupBy(m => m.Topic)
            .ToDictionary(g => g.Key, g => g.MaxBy(m => m.Payload.Sequence).Payload);
        Assert.Equal(truth.Machines.Count, lastCounts.Count);
        Assert.All(truth.Machines, machine =>
        {
            var last = lastCounts[$"mes/{machine.Machine}/count"];
            Assert.Equal((machine.Total, machine.Scrap), (last.Total!.Value, last.Scrap!.Value));
        });
    }

    private async Task PublishAsync(IEnumerable<TelemetryMessage> messages, TelemetryPublisher publisher)
    {
        foreach (var message in messages)
        {
            await publisher.PublishAsync(message, _patience.Token);
        }
    }

}
