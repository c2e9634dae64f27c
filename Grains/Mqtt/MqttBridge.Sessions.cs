using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MQTTnet;
using Orleans.Runtime;

namespace MesOrleans.Mqtt;

/// <summary>
/// Taking over the session of a silo that died. Mosquitto never gives a dead member's share of a shared subscription
/// to the others: the messages it had sent that member (acknowledged to their devices already) and the ones it queues
/// for it afterwards wait in its session until a client with its id connects, and are dropped when the session
/// expires. So once membership declares a silo dead, and no live silo carries its name, one survivor (the active silo
/// with the lowest address, so that survivors do not fight over it) connects with the dead bridge's client id,
/// ingests what the session held, and hands the session back like a stopping silo does. A silo of the same name that
/// comes back meanwhile takes the session from the survivor; what the survivor had not acknowledged stays in it.
/// </summary>
internal sealed partial class MqttBridge
{
    private static readonly TimeSpan TakeoverRetry = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<SiloAddress, Task> _takeovers = new();

    private async Task WatchForDeadSilosAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stopping))
            {
                foreach (var dead in snapshot.Members.Values.Where(m => ShouldTakeOver(snapshot, m)))
                {
                    _ = _takeovers.GetOrAdd(dead.SiloAddress, _ => Task.Run(() => TakeOverAsync(dead, stopping), CancellationToken.None));
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private bool ShouldTakeOver(ClusterMembershipSnapshot snapshot, ClusterMember member)
    {
        if (member.Status != SiloStatus.Dead || string.IsNullOrEmpty(member.Name)
            || snapshot.Members.Values.Any(m => m.Name == member.Name && m.Status != SiloStatus.Dead))
        {
            return false;
        }

        var taker = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).Min();
        return silo.SiloAddress.Equals(taker);
    }

    private async Task TakeOverAsync(ClusterMember dead, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested && ShouldTakeOver(membership.CurrentSnapshot, dead))
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var traffic = new SessionTraffic(time);
            client.ApplicationMessageReceivedAsync += e => OnMessageAsync(client, traffic, e);
            try
            {
                await ConnectAsync(client, dead.Name, stopping);
                var ended = await HandBackAsync(client, traffic, stopping);
                LogTookOver(logger, dead.Name, dead.SiloAddress, traffic.Handled, ended);
                if (ended)
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                LogTakeoverFailed(logger, ex, dead.Name, TakeoverRetry);
            }

            try
            {
                await Task.Delay(TakeoverRetry, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Messages in flight on one session, and when the last one arrived: whether the broker has sent everything.</summary>
    private sealed class SessionTraffic(TimeProvider time)
    {
        private long _inFlight;
        private long _handled;
        private long _lastArrival = time.GetTimestamp();

        public long Handled => Interlocked.Read(ref _handled);

        public void Started()
        {
            Interlocked.Increment(ref _inFlight);
            Interlocked.Exchange(ref _lastArrival, time.GetTimestamp());
        }

        public void Finished()
        {
            Interlocked.Increment(ref _handled);
            Interlocked.Decrement(ref _inFlight);
        }

        /// <summary>True once nothing is in flight and nothing arrived for <paramref name="quiet"/>; false after <paramref name="bound"/>.</summary>
        public async Task<bool> WaitQuietAsync(TimeSpan quiet, TimeSpan bound, CancellationToken cancellationToken)
        {
            var started = time.GetTimestamp();

            // Counted from the start of the wait too: what the broker sends right after a reconnect may not be here yet.
            Interlocked.Exchange(ref _lastArrival, started);
            while (Interlocked.Read(ref _inFlight) > 0 || time.GetElapsedTime(Interlocked.Read(ref _lastArrival)) < quiet)
            {
                if (time.GetElapsedTime(started) > bound)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
            }

            return true;
        }
    }

    // A takeover still running when this silo stops keeps the dead silo's session (and what it holds) for the next taker.
    private Task EndTakeoversAsync() => Task.WhenAll(_takeovers.Values);

    [LoggerMessage(Level = LogLevel.Information, Message = "Took over the MQTT session of dead silo {SiloName} ({SiloAddress}): {Messages} messages ingested; session ended: {Ended}")]
    private static partial void LogTookOver(ILogger logger, string siloName, SiloAddress siloAddress, long messages, bool ended);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking over the MQTT session of dead silo {SiloName} failed; trying again in {Retry}")]
    private static partial void LogTakeoverFailed(ILogger logger, Exception exception, string siloName, TimeSpan retry);
}
