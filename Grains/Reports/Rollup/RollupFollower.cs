using System.Collections.Concurrent;
using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Plant;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Reports.Rollup;

/// <summary>The database side of following the event log: transactions of their own, and which machines are behind.</summary>
internal interface IRollupStore
{
    /// <summary>Runs <paramref name="work"/> in a write transaction of its own, committed when it completes.</summary>
    Task<T> WriteAsync<T>(Func<IRollupSession, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>The machines among <paramref name="machineIds"/> whose log holds events after their cursor.</summary>
    Task<IReadOnlyList<string>> BehindAsync(IReadOnlyCollection<string> machineIds, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps rollups following the event log. The log's writer hands it every batch it appends, in the batch's
/// transaction (<see cref="FileAsync"/>), so that rollups and events commit together; a machine it could not follow
/// there — its cursor far behind (a store that had events before rollups existed), no plant model in this silo yet, a
/// failure — is caught up in the background, a few thousand events per transaction, and so are machines found behind
/// when the silo starts.
/// </summary>
internal sealed partial class RollupFollower(PlantCatalog catalog, IRollupStore store, ILogger<RollupFollower> logger) : SiloBackgroundLoop
{
    private const int EventsPerTransaction = 5_000;
    private static readonly TimeSpan Rescan = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, byte> _behind = new();
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Files what the writer appended, within its transaction.</summary>
    public async Task FileAsync(IRollupSession session, IReadOnlyDictionary<string, IReadOnlyList<MachineEvent>> appended)
    {
        if (catalog.Cached is not { } plant)
        {
            Behind(appended.Keys);
            return;
        }

        Behind(await RollupProjector.ProjectAsync(session, plant, appended));
    }

    /// <summary>The writer could not file these machines' events (it rolled the rollups back, not the events).</summary>
    public void Missed(IEnumerable<string> machineIds, Exception error)
    {
        var missed = machineIds.ToList();
        LogMissed(error, missed.Count);
        Behind(missed);
    }

    /// <summary>Catches up every machine whose log is ahead of its cursor, then waits to be told of more.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var plant = await catalog.GetCurrentAsync();
        var known = plant.Model.Sites
            .SelectMany(s => s.Lines.SelectMany(l => l.Machines.Select(m => EquipmentPath.ForMachine(s.Id, l.Id, m.Id).ToString())))
            .Concat(plant.RetiredMachines)
            .Distinct()
            .ToList();
        Behind(await store.BehindAsync(known, cancellationToken));
        foreach (var machine in _behind.Keys.Order(StringComparer.Ordinal))
        {
            _behind.TryRemove(machine, out _);
            var events = 0;
            while (await store.WriteAsync(session => RollupProjector.CatchUpAsync(session, plant, machine, EventsPerTransaction), cancellationToken))
            {
                events += EventsPerTransaction;
            }

            LogCaughtUp(machine, events);
        }
    }

    protected override async Task PassAsync(CancellationToken stopping)
    {
        await CatchUpAsync(stopping);
        await _wake.WaitAsync(Rescan, stopping);
    }

    protected override async Task FailedAsync(Exception error, CancellationToken stopping)
    {
        // The database or the cluster is away for a moment: try again a little later.
        LogCatchUpFailed(error);
        await Task.Delay(TimeSpan.FromSeconds(10), stopping);
    }

    private void Behind(IEnumerable<string> machineIds)
    {
        var any = false;
        foreach (var machine in machineIds)
        {
            any |= _behind.TryAdd(machine, 0);
        }

        if (any && _wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollups of {Machines} machines were not filed with their events; they are caught up in the background")]
    private partial void LogMissed(Exception error, int machines);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollups of {Machine} caught up with its event log ({Events}+ events filed)")]
    private partial void LogCaughtUp(string machine, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catching up rollups failed; trying again in 10 s")]
    private partial void LogCatchUpFailed(Exception error);
}
