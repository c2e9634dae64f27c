using System.Collections.Concurrent;
using MesOrleans.Machines;
using MesOrleans.Streams;
using Orleans.Streams;

namespace MesOrleans.WebFrontend.Live;

/// <summary>
/// Pushes machine status changes to open pages. One stream subscription per site per web server, fanned out to
/// every circuit that watches the site; a page subscribes on init and disposes its subscription when it closes.
/// </summary>
public sealed class LiveSiteFeed(IClusterClient client, ILogger<LiveSiteFeed> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Site>>> _sites = new();

    /// <summary>Calls <paramref name="onChange"/> with every status a machine of the site publishes, until disposed.</summary>
    public async Task<IDisposable> SubscribeAsync(string siteId, Func<MachineStatus, Task> onChange)
    {
        var site = await _sites.GetOrAdd(siteId, id => new Lazy<Task<Site>>(() => OpenAsync(id))).Value;
        return site.Add(onChange);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var site in _sites.Values.Where(s => s.IsValueCreated))
        {
            try
            {
                await (await site.Value).Handle.UnsubscribeAsync();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException or ObjectDisposedException)
            {
                // The silo may already be gone at shutdown; the subscription dies with it.
                logger.LogDebug(ex, "Live subscription not removed at shutdown");
            }
        }
    }

    private async Task<Site> OpenAsync(string siteId)
    {
        var site = new Site(siteId, logger);
        var stream = client.GetStreamProvider(MesStreams.LiveProvider).GetStream<MachineStatus>(StreamId.Create(MesStreams.Live, siteId));
        site.Handle = await stream.SubscribeAsync((status, _) => site.DeliverAsync(status));
        return site;
    }

    private sealed class Site(string id, ILogger logger)
    {
        private readonly Lock _lock = new();

        // Copied on write, so delivery reads a consistent list without taking the lock.
        private volatile Func<MachineStatus, Task>[] _handlers = [];

        public StreamSubscriptionHandle<MachineStatus> Handle { get; set; } = null!;

        public IDisposable Add(Func<MachineStatus, Task> handler)
        {
            lock (_lock)
            {
                _handlers = [.. _handlers, handler];
            }

            return new Subscription(() =>
            {
                lock (_lock)
                {
                    _handlers = _handlers.Where(h => h != handler).ToArray();
                }
            });
        }

        public async Task DeliverAsync(MachineStatus status)
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    await handler(status);
                }
                catch (Exception ex)
                {
                    // One broken page must not stop the others from getting updates.
                    logger.LogWarning(ex, "A live view of site {Site} failed to take an update", id);
                }
            }
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private Action? _unsubscribe = unsubscribe;

        public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
    }
}
