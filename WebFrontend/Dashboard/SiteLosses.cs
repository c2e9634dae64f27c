using System.Collections.Concurrent;
using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.WebFrontend.Live;

namespace MesOrleans.WebFrontend.Dashboard;

/// <summary>
/// The boards' downtime and scrap Paretos, shared by every open board of a web server: one live subscription per site
/// tells when a machine's state, stop, reason or scrap changed, and then each window a board shows is read from the
/// rollups once, however many boards show it. Boards are told to read again; their reads of one window after one
/// change share one query.
/// </summary>
public sealed class SiteLosses(LossReport report, LiveSiteFeed live, ILogger<SiteLosses> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Site>>> _sites = new();

    /// <summary>Calls <paramref name="onChange"/> after every change that can change the site's losses, until disposed.</summary>
    public async Task<IDisposable> WatchAsync(string site, Func<Task> onChange) => (await SiteAsync(site)).Watch(onChange);

    /// <summary>The losses of a line or the site over a window, read once per change of the site.</summary>
    public async Task<Losses> ReadAsync(EquipmentPath lineOrSite, DateTimeOffset from, DateTimeOffset to) =>
        await (await SiteAsync(lineOrSite.Site)).ReadAsync((lineOrSite.ToString(), from, to), () => report.ForAsync(lineOrSite, from, to));

    private Task<Site> SiteAsync(string site) =>
        _sites.GetOrAdd(site, id => new Lazy<Task<Site>>(async () =>
        {
            var watched = new Site(id, logger);
            await live.SubscribeAsync(id, watched.TakeAsync);
            return watched;
        })).Value;

    private sealed class Site(string id, ILogger logger)
    {
        private readonly ConcurrentDictionary<string, MachineStatus> _machines = new();
        private readonly ConcurrentDictionary<(string Scope, DateTimeOffset From, DateTimeOffset To), (long Version, Task<Losses> Read)> _reads = new();
        private readonly Lock _lock = new();
        private Func<Task>[] _watchers = [];
        private long _version;

        public IDisposable Watch(Func<Task> onChange)
        {
            lock (_lock)
            {
                _watchers = [.. _watchers, onChange];
            }

            return new Unwatch(() =>
            {
                lock (_lock)
                {
                    _watchers = _watchers.Where(w => w != onChange).ToArray();
                }
            });
        }

        public Task<Losses> ReadAsync((string, DateTimeOffset, DateTimeOffset) window, Func<Task<Losses>> read)
        {
            var version = Interlocked.Read(ref _version);
            var entry = _reads.AddOrUpdate(
                window,
                _ => (version, read()),
                (_, known) => known.Version == version && !known.Read.IsFaulted ? known : (version, read()));
            return entry.Read;
        }

        public Task TakeAsync(MachineStatus status)
        {
            var before = _machines.GetValueOrDefault(status.Id);
            _machines[status.Id] = status;
            if (before is not null && !ChangesLosses(before, status))
            {
                return Task.CompletedTask;
            }

            Interlocked.Increment(ref _version);
            _reads.Clear();

            // Boards read on their own time, so that the site's live feed goes on to the tiles at once.
            foreach (var watcher in _watchers)
            {
                _ = TellAsync(watcher);
            }

            return Task.CompletedTask;
        }

        private async Task TellAsync(Func<Task> watcher)
        {
            try
            {
                await watcher();
            }
            catch (Exception ex)
            {
                // One broken board must not keep the others from their losses.
                logger.LogWarning(ex, "A board of site {Site} failed to take new losses", id);
            }
        }

        private static bool ChangesLosses(MachineStatus before, MachineStatus now) =>
            before.State != now.State
            || before.Since != now.Since
            || before.OpenStop?.ReasonCode != now.OpenStop?.ReasonCode
            || before.ShiftOee?.ScrapCount != now.ShiftOee?.ScrapCount;
    }

    private sealed class Unwatch(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
