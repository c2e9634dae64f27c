using System.Collections.Concurrent;
using MesOrleans.Machines;
using MesOrleans.Streams;
using MesOrleans.WorkOrders;
using Orleans.Streams;

namespace MesOrleans.WebFrontend.Live;

/// <summary>
/// Pushes a site's changes to open pages: machine status, and changes of its work orders. One stream subscription per
/// site and kind per web server, fanned out to every circuit that watches; a page subscribes on init and disposes its
/// subscription when it closes.
/// </summary>
public sealed class LiveSiteFeed(IClusterClient client, ILogger<LiveSiteFeed> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Namespace, string Site), Lazy<Task<IFeed>>> _feeds = new();

    /// <summary>Calls <paramref name="onChange"/> with every status a machine of the site publishes, until disposed.</summary>
    public Task<IDisposable> SubscribeAsync(string siteId, Func<MachineStatus, Task> onChange) => SubscribeAsync(MesStreams.Live, siteId, onChange);

    /// <summary>Calls <paramref name="onChange"/> whenever the site's work orders change, until disposed.</summary>
    public Task<IDisposable> SubscribeOrdersAsync(string siteId, Func<WorkOrderChange, Task> onChange) => SubscribeAsync(MesStreams.Orders, siteId, onChange);

    public async ValueTask DisposeAsync()
    {
        foreach (var feed in _feeds.Values.Where(s => s.IsValueCreated))
        {
            try
            {
                await (await feed.Value).UnsubscribeAsync();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException or ObjectDisposedException)
            {
                // The silo may already be gone at shutdown; the subscription dies with it.
                logger.LogDebug(ex, "Live subscription not removed at shutdown");
            }
        }
    }

    private async Task<IDisposable> SubscribeAsync<T>(string streamNamespace, string siteId, Func<T, Task> onChange)
    {
        var feed = await _feeds.GetOrAdd((streamNamespace, siteId), key => new Lazy<Task<IFeed>>(() => OpenAsync<T>(key.Namespace, key.Site))).Value;
        return ((Feed<T>)feed).Add(onChange);
    }

    private async Task<IFeed> OpenAsync<T>(string streamNamespace, string siteId)
    {
        var feed = new Feed<T>(siteId, logger);
        var stream = client.GetStreamProvider(MesStreams.LiveProvider).GetStream<T>(StreamId.Create(streamNamespace, siteId));
        feed.Handle = await stream.SubscribeAsync((item, _) => feed.DeliverAsync(item));
        return feed;
    }

    private interface IFeed
    {
        Task UnsubscribeAsync();
    }

    private sealed class Feed<T>(string site, ILogger logger) : IFeed
    {
        private readonly Lock _lock = new();

        // Copied on write, so delivery reads a consistent list without taking the lock.
        private volatile Func<T, Task>[] _handlers = [];

        public StreamSubscriptionHandle<T> Handle { get; set; } = null!;

        public Task UnsubscribeAsync() => Handle.UnsubscribeAsync();

        public IDisposable Add(Func<T, Task> handler)
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

        public async Task DeliverAsync(T item)
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    await handler(item);
                }
                catch (Exception ex)
                {
                    // One broken page must not stop the others from getting updates.
                    logger.LogWarning(ex, "A live view of site {Site} failed to take an update", site);
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
