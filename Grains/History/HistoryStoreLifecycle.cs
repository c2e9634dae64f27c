using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace MesOrleans.History;

/// <summary>
/// Runs the event log's writer inside the silo's lifecycle at the storage stage: it starts before grains can
/// activate and stops only after they are gone, so that everything they appended is written.
/// </summary>
internal sealed class HistoryStoreLifecycle(IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        var store = services.GetRequiredService<EventLogWriter>();
        lifecycle.Subscribe<HistoryStoreLifecycle>(ServiceLifecycleStage.RuntimeStorageServices, store.StartAsync, store.StopAsync);
    }
}
