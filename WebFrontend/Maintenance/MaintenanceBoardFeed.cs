using MesOrleans.Maintenance;

namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>What a page hears from a site's board: a ticket changed, or it must read the queue again.</summary>
public sealed record BoardChange(MaintenanceTicket? Ticket)
{
    /// <summary>The board may have changed without telling (it was reactivated, or could not be reached): read it again.</summary>
    public static BoardChange Reload { get; } = new((MaintenanceTicket?)null);
}

/// <summary>
/// The web app's one subscription per site to the maintenance board, fanned out to every open page. The board's
/// observer subscriptions expire (<see cref="IMaintenanceBoardGrain.SubscriptionLifetime"/>), so while a site has
/// listeners the feed renews its subscription every third of that. Renewing is a lease, not polling: no ticket data
/// is read on the timer. When a renewal finds that the board had forgotten the subscription, or a renewal failed,
/// listeners are told to reload, because changes may have been missed in between.
/// </summary>
public sealed class MaintenanceBoardFeed(IGrainFactory grains, ILogger<MaintenanceBoardFeed> logger) : IAsyncDisposable
{
    private static readonly TimeSpan RenewEvery = IMaintenanceBoardGrain.SubscriptionLifetime / 3;

    // Fields rather than captured parameters: the nested subscription class uses them.
    private readonly IGrainFactory _grains = grains;
    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SiteSubscription> _sites = new(StringComparer.Ordinal);

    /// <summary>
    /// Listens to a site's board. Completes once the board knows the subscription, so a page that reads the queue
    /// afterwards misses nothing. Dispose the result to stop listening.
    /// </summary>
    public async Task<IAsyncDisposable> SubscribeAsync(string site, Func<BoardChange, Task> listener)
    {
        SiteSubscription subscription;
        lock (_gate)
        {
            if (!_sites.TryGetValue(site, out subscription!))
            {
                subscription = new SiteSubscription(this, site);
                _sites.Add(site, subscription);
            }

            subscription.Listeners.Add(listener);
        }

        try
        {
            await subscription.EnsureAsync();
        }
        catch
        {
            await LeaveAsync(subscription, listener);
            throw;
        }

        return new Listening(this, subscription, listener);
    }

    public async ValueTask DisposeAsync()
    {
        List<SiteSubscription> all;
        lock (_gate)
        {
            all = [.. _sites.Values];
            _sites.Clear();
        }

        foreach (var subscription in all)
        {
            await subscription.StopAsync();
        }
    }

    private async Task LeaveAsync(SiteSubscription subscription, Func<BoardChange, Task> listener)
    {
        lock (_gate)
        {
            subscription.Listeners.Remove(listener);
            if (subscription.Listeners.Count > 0 || !_sites.Remove(subscription.Site))
            {
                return;
            }
        }

        await subscription.StopAsync();
    }

    private sealed class Listening(MaintenanceBoardFeed feed, SiteSubscription subscription, Func<BoardChange, Task> listener) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await feed.LeaveAsync(subscription, listener);
            }
        }
    }

    /// <summary>One site's observer, its renewal loop and its listeners.</summary>
    private sealed class SiteSubscription : IMaintenanceBoardObserver
    {
        private readonly MaintenanceBoardFeed _feed;
        private readonly IMaintenanceBoardGrain _board;
        private readonly IMaintenanceBoardObserver _reference;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewals;
        private volatile bool _healthy;
        private volatile bool _everSubscribed;

        public SiteSubscription(MaintenanceBoardFeed feed, string site)
        {
            _feed = feed;
            Site = site;
            _board = feed._grains.GetGrain<IMaintenanceBoardGrain>(site);

            // Orleans holds observers weakly: this object keeps itself alive through the feed's dictionary.
            _reference = feed._grains.CreateObjectReference<IMaintenanceBoardObserver>(this);
            _renewals = RenewAsync();
        }

        public string Site { get; }

        /// <summary>Guarded by the feed's lock.</summary>
        public HashSet<Func<BoardChange, Task>> Listeners { get; } = [];

        public void TicketChanged(MaintenanceTicket ticket) => _ = TellAsync(new BoardChange(ticket));

        /// <summary>Subscribes now unless the subscription is known to be in place; throws when the board cannot be reached.</summary>
        public Task EnsureAsync() => _healthy ? Task.CompletedTask : SubscribeOnceAsync();

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _renewals;
            try
            {
                await _board.UnsubscribeAsync(_reference);
            }
            catch (Exception exception)
            {
                // The subscription expires on its own.
                _feed._logger.LogDebug(exception, "Unsubscribing from the maintenance board of {Site} failed", Site);
            }

            _feed._grains.DeleteObjectReference<IMaintenanceBoardObserver>(_reference);
            _stop.Dispose();
        }

        private async Task SubscribeOnceAsync()
        {
            bool forgotten;
            try
            {
                forgotten = await _board.SubscribeAsync(_reference);
            }
            catch
            {
                _healthy = false;
                throw;
            }

            var missedSome = _everSubscribed && (forgotten || !_healthy);
            (_healthy, _everSubscribed) = (true, true);
            if (missedSome)
            {
                await TellAsync(BoardChange.Reload);
            }
        }

        private async Task RenewAsync()
        {
            using var timer = new PeriodicTimer(RenewEvery);
            while (await WaitAsync(timer))
            {
                try
                {
                    await SubscribeOnceAsync();
                }
                catch (Exception exception) when (!_stop.IsCancellationRequested)
                {
                    _feed._logger.LogWarning(exception, "Renewing the subscription to the maintenance board of {Site} failed; trying again in {Period}", Site, RenewEvery);
                }
            }
        }

        private async Task<bool> WaitAsync(PeriodicTimer timer)
        {
            try
            {
                return await timer.WaitForNextTickAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private async Task TellAsync(BoardChange change)
        {
            Func<BoardChange, Task>[] listeners;
            lock (_feed._gate)
            {
                listeners = [.. Listeners];
            }

            foreach (var listener in listeners)
            {
                try
                {
                    await listener(change);
                }
                catch (Exception exception)
                {
                    _feed._logger.LogWarning(exception, "A maintenance page failed to take a change of site {Site}", Site);
                }
            }
        }
    }
}
