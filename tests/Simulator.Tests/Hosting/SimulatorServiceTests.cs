using MesOrleans.Simulator.Tests.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MesOrleans.Simulator.Tests.Hosting;

public sealed class SimulatorServiceTests : IDisposable
{
    // A safety net only: each wait completes as soon as its signal comes.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _patience = new(Patience);

    public void Dispose() => _patience.Dispose();

    [Fact]
    public async Task An_enabled_simulator_publishes_the_hosts_plant_from_now_on()
    {
        await using var broker = await TestBroker.StartAsync();
        var builder = Builder(new()
        {
            ["Mes:Simulator:Enabled"] = "true",
            ["Mes:Simulator:Broker"] = broker.Endpoint.ToString(),
            ["Mes:Simulator:TopicPrefix"] = "dev",
            ["Mes:Simulator:Seed"] = "5",
        });
        IServiceProvider? askedWith = null;
        builder.AddMesSimulator((services, _) =>
        {
            askedWith = services;
            return Task.FromResult(TestPlants.Small);
        });
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);

        using var host = builder.Build();
        await host.StartAsync(_patience.Token);
        await broker.WhenAsync(messages => messages.Count >= 6, Patience);
        await host.StopAsync(_patience.Token);

        Assert.Same(host.Services.GetRequiredService<TimeProvider>(), askedWith?.GetRequiredService<TimeProvider>());
        var first = broker.Messages.Take(6).ToList();
        Assert.Equal(
            ["dev/test/line/fast/count", "dev/test/line/fast/state", "dev/test/line/medium/count", "dev/test/line/medium/state", "dev/test/line/slow/count", "dev/test/line/slow/state"],
            first.Select(m => m.Topic).Order());
        Assert.All(first, m => Assert.InRange(
            ContractPayload.Parse(m.Topic.Split('/')[^1], m.Payload).Timestamp,
            before,
            DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_disabled_simulator_is_not_added()
    {
        var builder = Builder(new() { ["Mes:Simulator:Broker"] = "127.0.0.1:1883" });

        builder.AddMesSimulator((_, _) => Task.FromResult(TestPlants.Small));
        using var host = builder.Build();

        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s is SimulatorService);
    }

    [Fact]
    public async Task Bad_settings_stop_the_host_at_start_naming_them()
    {
        var builder = Builder(new()
        {
            ["Mes:Simulator:Enabled"] = "true",
            ["Mes:Simulator:Broker"] = "nowhere:",
            ["Mes:Simulator:Speed"] = "0",
        });
        builder.AddMesSimulator((_, _) => Task.FromResult(TestPlants.Small));
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(_patience.Token));

        Assert.Contains("Mes:Simulator:Broker 'nowhere:'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Mes:Simulator:Speed 0", refused.Message, StringComparison.Ordinal);
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
