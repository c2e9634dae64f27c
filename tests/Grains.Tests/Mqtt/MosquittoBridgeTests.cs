using System.Text;
using MesOrleans.Machines;
using MesOrleans.Mqtt;
using MesOrleans.Plant;
using MesOrleans.Telemetry;
using MesOrleans.Testing;
using MesOrleans.Tests.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Orleans.TestingHost;

namespace MesOrleans.Tests.Mqtt;

/// <summary>Two silos behind Mosquitto: each bridge joins the shared subscription; every message is applied once.</summary>
public sealed class MosquittoBridgeTests : IAsyncLifetime
{
    private const int Machines = 6;
    private const int CountsPerMachine = 40;
    private readonly ClusterPlant _plant = ClusterPlant.StartedHoursAgo(3);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("mes-bridge-").FullName;
    private Mosquitto? _broker;
    private TestCluster? _cluster;

    public async Task InitializeAsync()
    {
        if (Mosquitto.Missing is not null)
        {
            return;
        }

        _broker = await Mosquitto.StartAsync();
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mes:DataDirectory"] = _dataDirectory,
            ["Mes:Mqtt:EmbeddedBroker:Enabled"] = "false",
            ["Mes:Mqtt:Host"] = "127.0.0.1",
            ["Mes:Mqtt:Port"] = _broker.Port.ToString(),
        }));
        builder.AddSiloBuilderConfigurator<MesTestSilo>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();

        var line = _plant.Model.Sites[0].Lines[0] with
        {
            Machines = Enumerable.Range(1, Machines).Select(i => new MachineModel($"m{i}", $"Machine {i}", 10)).ToList(),
        };
        var model = _plant.Model with { Sites = [_plant.Model.Sites[0] with { Lines = [line] }] };
        await _cluster.GrainFactory.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key).ApplyAsync(model);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    [SkippableFact]
    public async Task Two_silos_split_the_traffic_and_apply_each_message_once()
    {
        RequiredComponent.SkipOrFailIfMissing(Mosquitto.Missing);
        await WaitAsync(() => Task.FromResult(Silos.All(s => s.GetRequiredService<MqttBridge>().IsConnected)), "both bridges to connect");

        using var device = new MqttClientFactory().CreateMqttClient();
        await device.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _broker!.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build());

        // Cumulative counters from 1,000 up by 5 a message; every 10th message is sent twice, as a device does after
        // a lost PUBACK. Messages of one machine reach both silos, so they may arrive out of order: the cumulative
        // counters make the result exact anyway.
        var published = 0;
        var start = _plant.ShiftStart.AddMinutes(1);
        for (var i = 0; i < CountsPerMachine; i++)
        {
            if (i == 1)
            {
                // The first value a machine sends is its baseline: let every baseline reach its stream before the rest.
                await WaitAsync(() => Task.FromResult(Accepted() == Machines), "the baselines to be ingested");
            }

            for (var m = 1; m <= Machines; m++)
            {
                var payload = $$"""{"ts":"{{start.AddSeconds(i * 10):O}}","total":{{1000 + (i * 5)}},"scrap":{{i / 10}}}""";
                var copies = i % 10 == 9 ? 2 : 1;
                for (var copy = 0; copy < copies; copy++)
                {
                    await Publish(device, $"mes/{ClusterPlant.SiteId}/{ClusterPlant.LineId}/m{m}/count", payload);
                    published++;
                }
            }
        }

        const long expectedTotal = (CountsPerMachine - 1) * 5;
        await WaitAsync(
            async () => (await Task.WhenAll(Enumerable.Range(1, Machines).Select(m => Machine(m).GetShiftOeeAsync()))).All(o => o.TotalCount == expectedTotal),
            "every machine's total to reach the published counter");

        var oee = await Task.WhenAll(Enumerable.Range(1, Machines).Select(m => Machine(m).GetShiftOeeAsync()));
        Assert.All(oee, o => Assert.Equal((expectedTotal, 3L), (o.TotalCount, o.ScrapCount)));

        var perSilo = Silos.Select(s => s.GetRequiredService<TelemetryStats>().Snapshot()).ToList();
        Assert.All(perSilo, s => Assert.True(s.Accepted > 0, "each silo takes a share of the subscription"));
        Assert.Equal(published, perSilo.Sum(s => s.Accepted));
    }

    private long Accepted() => Silos.Sum(s => s.GetRequiredService<TelemetryStats>().Snapshot().Accepted);

    private IEnumerable<IServiceProvider> Silos => _cluster!.Silos.Select(s => ((InProcessSiloHandle)s).SiloHost.Services);

    private IMachineGrain Machine(int m) =>
        _cluster!.GrainFactory.GetGrain<IMachineGrain>($"{ClusterPlant.SiteId}/{ClusterPlant.LineId}/m{m}");

    private static async Task Publish(IMqttClient device, string topic, string payload)
    {
        var result = await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.True(result.IsSuccess, $"publish {topic}: {result.ReasonCode}");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
