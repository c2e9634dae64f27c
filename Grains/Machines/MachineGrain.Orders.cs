namespace MesOrleans.Machines;

/// <summary>
/// Which work order runs on the machine's line is an event of its log (<see cref="MachineEventKind.OrderChanged"/>),
/// recorded on every machine of the line when an order starts, resumes, pauses or completes. The ledger tags each count
/// with the order and ideal cycle time in force at the count's own time, so that orders count themselves and OEE over
/// any window uses the cycle time that held then.
/// </summary>
internal sealed partial class MachineGrain
{
    public async Task<long> SetRunningOrderAsync(RunningOrder? order, DateTimeOffset at)
    {
        RequireActive();
        var latest = _ledger.LatestOrderChange;
        if (latest is null ? order is null : latest.OrderNumber == order?.OrderNumber)
        {
            // Asked again (a retry, or a line that starts an order the machine already runs): nothing new.
            return latest?.Sequence ?? _ledger.LastSequence;
        }

        var now = time.GetUtcNow();
        var when = EventTime(at, now);
        if (latest is not null && when < latest.Timestamp)
        {
            when = latest.Timestamp;
        }

        var recorded = await AcceptAsync(_ledger.NewEvent(MachineEventKind.OrderChanged, when, EventSource.System, now) with
        {
            OrderNumber = order?.OrderNumber,
            PartNumber = order?.PartNumber,
            IdealCycleTime = order is null ? S.Config!.IdealCycleTime : Plant.IdealCycleTime(_path, order.PartNumber),
        });
        return recorded.Sequence;
    }
}
