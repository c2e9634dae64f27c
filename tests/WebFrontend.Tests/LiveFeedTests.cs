using System.Net.Http.Json;
using MesOrleans.Machines;
using MesOrleans.WebFrontend.Live;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

public sealed class LiveFeedTests
{
    [Fact]
    public async Task A_downtime_reaches_every_subscriber_of_the_site_and_a_disposed_one_no_more()
    {
        using var app = MesApp.StartWith(Model);
        var feed = app.Services.GetRequiredService<LiveSiteFeed>();
        var first = new TaskCompletionSource<MachineStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<MachineStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disposedCalls = 0;
        using var a = await feed.SubscribeAsync(Site, s => { if (s.State == MachineState.Down) { first.TrySetResult(s); } return Task.CompletedTask; });
        using var b = await feed.SubscribeAsync(Site, s => { if (s.State == MachineState.Down) { second.TrySetResult(s); } return Task.CompletedTask; });
        var gone = await feed.SubscribeAsync(Site, _ => { Interlocked.Increment(ref disposedCalls); return Task.CompletedTask; });
        gone.Dispose();

        using var http = app.CreateClient();
        (await http.PostAsJsonAsync($"{MachineUrl(Press)}/downtime", new { reasonCode = "E12", @operator = "Anna" })).EnsureSuccessStatusCode();

        var seen = await first.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal($"{Site}/{Line}/{Press}", seen.Id);
        Assert.Equal("E12", seen.OpenStop?.ReasonCode);
        Assert.Equal(seen, await second.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, disposedCalls);
    }
}
