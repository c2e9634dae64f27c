using System.Collections.Concurrent;
using MesOrleans.Oee;
using MesOrleans.Plant;

namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>
/// How long a site's machines ran over a period, for MTBF: the OEE run time (running within planned busy time) read
/// from the history store a UTC day at a time. Whole days that are over are kept, so that the next period reads only
/// its two ends; a correction made later to such a day shows after the web server restarts.
/// </summary>
public sealed class MachineRunTimes(OeeHistory oee, PlantCatalog catalog, TimeProvider time)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<(string Machine, DateTimeOffset Day), TimeSpan> _pastDays = new();

    /// <summary>The run time of each machine the site has now over [<paramref name="from"/>, <paramref name="to"/>), up to now.</summary>
    public async Task<IReadOnlyDictionary<string, TimeSpan>> OfSiteAsync(string site, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var end = to < now ? to : now;
        var plant = await catalog.GetCurrentAsync();
        var runTimes = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var machine in plant.MachinesOf(EquipmentPath.ForSite(site)))
        {
            var total = TimeSpan.Zero;
            for (var day = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero); day < end; day += Day)
            {
                total += await DayAsync(machine, day, from, end, now, cancellationToken);
            }

            runTimes[machine.ToString()] = total;
        }

        return runTimes;
    }

    private async Task<TimeSpan> DayAsync(
        EquipmentPath machine, DateTimeOffset day, DateTimeOffset from, DateTimeOffset end, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var start = day < from ? from : day;
        var stop = day + Day < end ? day + Day : end;
        var whole = start == day && stop == day + Day && stop <= now;
        var key = (machine.ToString(), day);
        if (whole && _pastDays.TryGetValue(key, out var known))
        {
            return known;
        }

        var runTime = (await oee.ForAsync(machine, start, stop, cancellationToken)).RunTime;
        if (whole)
        {
            _pastDays[key] = runTime;
        }

        return runTime;
    }
}
