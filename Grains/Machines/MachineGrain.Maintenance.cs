using MesOrleans.Maintenance;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Machines;

/// <summary>
/// A breakdown calls maintenance: a stop in state <c>down</c> whose reason is of category <c>breakdown</c> opens a
/// ticket once it has lasted the machine's micro-stop threshold (shorter stops are minor stops and open none). The
/// check runs when the stop is recorded or recoded and on the machine's 5-second watch, so a ticket opens at most a
/// few seconds after the threshold. Resolving the ticket does not end the stop: the machine does, when it runs again.
/// A stop learned late (an edge gateway replaying buffered telemetry) calls maintenance only once the machine's telemetry
/// has caught up with the present and the stop is still open: a breakdown long over when it is learned is history, not
/// an urgent job.
/// </summary>
internal sealed partial class MachineGrain
{
    private const string BreakdownCategory = "breakdown";

    private async Task CallMaintenanceAsync(DateTimeOffset now)
    {
        if (S.Current is not { State: MachineState.Down } stop || S.BreakdownReported == stop.Id || _ledger.Plant is not { } plant
            || S.CurrentReason is null || !plant.DowntimeReasons.TryGetValue(S.CurrentReason, out var reason)
            || !string.Equals(reason.Category, BreakdownCategory, StringComparison.OrdinalIgnoreCase)
            || now - stop.Timestamp < S.Config!.MicroStopThreshold
            || (LearnedLate(stop) && !CaughtUp(now)))
        {
            return;
        }

        try
        {
            // The board never calls back into machines, so this call cannot deadlock; reporting a stop twice is harmless.
            await GrainFactory.GetGrain<IMaintenanceBoardGrain>(_path.Site)
                .ReportBreakdownAsync(new BreakdownReport(Id, stop.Id, S.CurrentReason, stop.Timestamp));
            // Only in the snapshot: after a crash the stop may be reported again, which the board ignores.
            S.BreakdownReported = stop.Id;
            _snapshotDue = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Maintenance being unreachable must not block the machine: the next watch tries again.
            LogMaintenanceUnreachable(logger, ex, Id);
        }
    }

    private bool LearnedLate(MachineEvent stop) =>
        stop.Source == EventSource.Telemetry && stop.RecordedAt - stop.Timestamp > S.Config!.MicroStopThreshold;

    // The newest telemetry is about now: whatever the machine did since the stop has been heard.
    private bool CaughtUp(DateTimeOffset now) => S.LastTelemetryTime is { } newest && now - newest <= S.Config!.MicroStopThreshold;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the breakdown of {Machine} to maintenance; trying again")]
    private static partial void LogMaintenanceUnreachable(ILogger logger, Exception exception, string machine);
}
