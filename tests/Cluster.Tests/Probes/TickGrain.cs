using Orleans.Runtime;

namespace MesOrleans.Cluster.Tests.Probes;

/// <summary>A grain woken by a reminder: it counts the ticks in its stored state and notes the silo of the last one.</summary>
public interface ITickGrain : IGrainWithStringKey
{
    Task StartAsync(TimeSpan period);

    Task StopAsync();

    Task<Ticks> ReadAsync();
}

[GenerateSerializer, Immutable, Alias("MesOrleans.Cluster.Tests.Ticks")]
public sealed record Ticks([property: Id(0)] int Count, [property: Id(1)] string? LastSilo);

public sealed class TickState
{
    public int Count { get; set; }

    public string? LastSilo { get; set; }
}

public sealed class TickGrain([PersistentState("ticks", MesStorage.Name)] IPersistentState<TickState> state) : Grain, ITickGrain, IRemindable
{
    private const string Reminder = "tick";

    public Task StartAsync(TimeSpan period) => this.RegisterOrUpdateReminder(Reminder, period, period);

    public async Task StopAsync()
    {
        if (await this.GetReminder(Reminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<Ticks> ReadAsync() => Task.FromResult(new Ticks(state.State.Count, state.State.LastSilo));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Count++;
        state.State.LastSilo = RuntimeIdentity;
        await state.WriteStateAsync();
    }
}
