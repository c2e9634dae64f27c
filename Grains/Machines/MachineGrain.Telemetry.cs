using MesOrleans.Streams;
using MesOrleans.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace MesOrleans.Machines;

/// <summary>
/// The machine's telemetry: states and cumulative counts from the PLC, and the rules for machines that fall silent.
/// How telemetry and operators share the machine:
/// <list type="bullet">
/// <item>a state the machine repeats (on reconnect, or periodically) changes nothing, so an operator's reason for the
/// open stop wins over the PLC's code; only a stop no person has given a reason takes the PLC's new code;</item>
/// <item>a PLC reason code that is not in the catalog leaves the stop unassigned (the code goes into the note) for the
/// operator to re-code;</item>
/// <item>a machine reporting <c>running</c> closes any open stop, an operator's too;</item>
/// <item>a machine that sends counts refuses good counts by hand, and scrap recorded by people does not add to its total;</item>
/// <item>the silence rules are judged by the live grain on arrival time, never applied to replayed history.</item>
/// </list>
/// Messages come from the durable telemetry queue in batches. A batch's events and the telemetry watermark are
/// appended in one go, and the delivery completes only then, so the queue removes a message only after what it
/// caused is in the log; a message delivered again after a crash is recognised by its queue id and skipped.
/// </summary>
[ImplicitStreamSubscription(MesStreams.Telemetry)]
internal sealed partial class MachineGrain : IStreamSubscriptionObserver, IRemindable
{
    private const string WakeReminder = "wake";
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(5);

    // Reminders outlive activations and silos: a machine whose silo died is activated again within this period and
    // its silence rules go on, even if the machine itself sends nothing.
    private static readonly TimeSpan WakePeriod = TimeSpan.FromMinutes(1);
    private IGrainTimer? _watch;
    private bool _countsUnpublished;

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<TelemetryEvent>().ResumeAsync(OnTelemetryAsync);

    public Task ApplyTelemetryAsync(TelemetryEvent telemetry) => ApplyAsync([(telemetry, null)]);

    private Task OnTelemetryAsync(IList<SequentialItem<TelemetryEvent>> batch) =>
        ApplyAsync(batch.Select(item => (item.Item, (long?)item.Token.SequenceNumber)));

    private async Task ApplyAsync(IEnumerable<(TelemetryEvent Telemetry, long? QueueOffset)> messages)
    {
        // Throwing makes the pulling agent deliver the batch again, to a fresh activation.
        RequireUsable();
        var now = time.GetUtcNow();
        var stateChanged = false;
        foreach (var (telemetry, queueOffset) in messages)
        {
            var outcome = _ledger.ApplyTelemetry(telemetry, queueOffset, now);
            if (outcome == TelemetryOutcome.Redelivered)
            {
                telemetryStats.RecordRedelivered();
                continue;
            }

            telemetryStats.RecordApplied(now - telemetry.Timestamp);
            switch (outcome)
            {
                case TelemetryOutcome.Duplicate:
                    telemetryStats.RecordDuplicate();
                    break;
                case TelemetryOutcome.StateChanged:
                    stateChanged = true;
                    break;
                case TelemetryOutcome.Counted:
                    _countsUnpublished = true;
                    break;
            }
        }

        await CommitAsync();

        // A state change is shown at once; counts go out with the next watch, at most every few seconds.
        if (stateChanged)
        {
            await PublishLiveAsync();
        }

        // Also when nothing changed: a replayed stop may have just been confirmed by the present.
        await CallMaintenanceAsync(now);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being active is the point: the watch timer does the work.
        StartWatching();
        return Task.CompletedTask;
    }

    /// <summary>Keeps a reminder while the machine is configured, so that it is watched wherever and whenever it runs.</summary>
    private async Task KeepAwakeAsync(bool awake)
    {
        if (awake)
        {
            await this.RegisterOrUpdateReminder(WakeReminder, WakePeriod, WakePeriod);
        }
        else if (await this.GetReminder(WakeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Starts the periodic work of a configured machine: silence rules, maintenance calls, count updates, snapshots.</summary>
    private void StartWatching()
    {
        if (_watch is null && S.Config is not null && !S.Retired)
        {
            // Keeps the grain active: a machine that falls silent must still be noticed.
            _watch = this.RegisterGrainTimer(WatchAsync, new GrainTimerCreationOptions(WatchPeriod, WatchPeriod) { KeepAlive = true });
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        if (_broken)
        {
            await StartOverOnceTheLogAnswersAsync(cancellationToken);
            return;
        }

        if (S.Retired)
        {
            _watch?.Dispose();
            _watch = null;
            return;
        }

        var now = time.GetUtcNow();
        var changed = _ledger.FallSilent(now);
        if (changed && S.Current?.State == MachineState.Offline)
        {
            LogOffline(logger, Id, S.Config!.OfflineAfter);
        }

        await CommitAsync();
        await CallMaintenanceAsync(now);
        if ((_sinceSnapshot > 0 || _snapshotDue) && now - _snapshotAt >= SnapshotAfter)
        {
            await TrySnapshotAsync();
        }

        if (changed || _countsUnpublished)
        {
            _countsUnpublished = false;
            await PublishLiveAsync();
        }
    }

    // A failed append left the ledger ahead of the log: once the log answers, a new activation rebuilds from it.
    private async Task StartOverOnceTheLogAnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await log.ReadLastSequenceAsync(Id, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return;
        }

        DeactivateOnIdle();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine} went offline: no telemetry for {Silence}")]
    private static partial void LogOffline(ILogger logger, string machine, TimeSpan silence);
}
