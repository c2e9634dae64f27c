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
/// </summary>
[ImplicitStreamSubscription(MesStreams.Telemetry)]
internal sealed partial class MachineGrain : IStreamSubscriptionObserver
{
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(5);
    private IGrainTimer? _watch;
    private bool _countsUnpublished;

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<TelemetryEvent>().ResumeAsync((e, _) => OnTelemetryAsync(e));

    public Task ApplyTelemetryAsync(TelemetryEvent telemetry) => OnTelemetryAsync(telemetry);

    private async Task OnTelemetryAsync(TelemetryEvent e)
    {
        telemetryStats.RecordApplied(time.GetUtcNow() - e.Timestamp);
        if (S.Config is null || S.Retired)
        {
            // The machine was retired after ingestion checked it: nothing to record it on.
            return;
        }

        var decision = CounterTracker.Decide(S.Cursor, e);
        S.Cursor = decision.Cursor;
        S.LastTelemetryArrival = e.ReceivedAt;
        S.LastTelemetryTime = Max(S.LastTelemetryTime, e.Timestamp);
        _dirty = true;
        if (decision.IsDuplicate)
        {
            telemetryStats.RecordDuplicate();
            return;
        }

        if (e.Signal == TelemetrySignal.State)
        {
            await OnStateAsync(e);
        }
        else
        {
            await OnCountAsync(e, decision);
        }
    }

    private async Task OnStateAsync(TelemetryEvent e)
    {
        S.ReportsState = true;
        var state = e.State!.Value;
        var known = e.ReasonCode is null || Plant.DowntimeReasons.ContainsKey(e.ReasonCode);
        if (S.Current is { } current && current.State == state && e.Timestamp >= current.Timestamp)
        {
            // The same state again: nothing new, unless the PLC now names a reason and no person has given one.
            if (state != MachineState.Running && known && e.ReasonCode is not null && e.ReasonCode != S.CurrentReason && !S.CurrentReasonByOperator)
            {
                Record(Correction(MachineEventKind.StopRecoded, current, EventSource.Telemetry, by: null, note: null) with
                {
                    ReasonCode = e.ReasonCode,
                });
                await PersistAsync();
                await PublishLiveAsync();
            }

            return;
        }

        Record(NewEvent(MachineEventKind.StateChanged, e.Timestamp, EventSource.Telemetry) with
        {
            State = state,
            ReasonCode = known ? e.ReasonCode : null,
            Note = known ? null : $"PLC reason code '{e.ReasonCode}' is not in the catalog",
        });
        await PersistAsync();
        await PublishLiveAsync();
    }

    private async Task OnCountAsync(TelemetryEvent e, TelemetryDecision decision)
    {
        S.CountsByTelemetry = true;
        if (decision.TotalDelta > 0)
        {
            S.LastCountArrival = e.ReceivedAt;
            S.LastCountTime = Max(S.LastCountTime, e.Timestamp);
        }

        // A machine that reports no states is running while it counts.
        var runsAgain = !S.ReportsState && decision.TotalDelta > 0 && S.Current?.State != MachineState.Running
            && (S.Current is null || e.Timestamp >= S.Current.Timestamp);
        if (runsAgain)
        {
            Record(NewEvent(MachineEventKind.StateChanged, e.Timestamp, EventSource.System) with { State = MachineState.Running });
        }

        if (decision.TotalDelta > 0 || decision.ScrapDelta > 0)
        {
            Record(NewEvent(MachineEventKind.Counted, e.Timestamp, EventSource.Telemetry) with
            {
                TotalDelta = decision.TotalDelta,
                ScrapDelta = decision.ScrapDelta,
            });
            _countsUnpublished = true;
        }

        // Counts are written and shown in batches (see WatchAsync); a state change is written and shown at once.
        if (runsAgain)
        {
            await PersistAsync();
            await PublishLiveAsync();
        }
    }

    /// <summary>Starts the periodic work of a configured machine: silence rules, batched writes and count updates.</summary>
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
        if (S.Retired)
        {
            _watch?.Dispose();
            _watch = null;
            return;
        }

        var now = time.GetUtcNow();
        var changed = FallSilent(now);
        await CallMaintenanceAsync(now);
        if (_dirty)
        {
            await PersistAsync();
        }

        if (changed || _countsUnpublished)
        {
            _countsUnpublished = false;
            await PublishLiveAsync();
        }
    }

    /// <summary>Applies the silence rules; true when the machine's state changed.</summary>
    private bool FallSilent(DateTimeOffset now)
    {
        var config = S.Config!;
        if (S.Current is not { State: MachineState.Running } current || current.Timestamp > now)
        {
            return false;
        }

        // A dead PLC cannot keep a machine running: offline from its last message's time.
        if (S.LastTelemetryArrival is { } lastArrival && now - lastArrival > config.OfflineAfter)
        {
            Record(NewEvent(MachineEventKind.StateChanged, Max(S.LastTelemetryTime, current.Timestamp)!.Value, EventSource.System) with
            {
                State = MachineState.Offline,
                Note = $"no telemetry for {config.OfflineAfter.TotalMinutes:0.#} minutes",
            });
            LogOffline(logger, Id, config.OfflineAfter);
            return true;
        }

        // A machine that sends only counts and stops counting during a shift gets a stop for the operator to explain.
        if (!S.ReportsState && S.LastCountArrival is { } lastCount && InShift(now) && now - lastCount > config.NoCountStopAfter)
        {
            Record(NewEvent(MachineEventKind.StateChanged, Max(S.LastCountTime, current.Timestamp)!.Value, EventSource.System) with
            {
                State = MachineState.Down,
                Note = $"no parts counted for {config.NoCountStopAfter.TotalSeconds:0} seconds",
            });
            return true;
        }

        return false;
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine} went offline: no telemetry for {Silence}")]
    private static partial void LogOffline(ILogger logger, string machine, TimeSpan silence);
}
