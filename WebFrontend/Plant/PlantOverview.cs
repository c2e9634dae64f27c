using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Sites;
using MesOrleans.WebFrontend.Security.Audit;

namespace MesOrleans.WebFrontend.Plant;

/// <summary>The home page's view of the plant: every site the user may see, its lines and machines with their state now.</summary>
public sealed class PlantOverview(PlantCatalog catalog, IGrainFactory grains, CircuitCaller caller)
{
    public async Task<IReadOnlyList<Site>> GetAsync()
    {
        var plant = await catalog.GetCurrentAsync();
        var access = await caller.AccessAsync();
        var sites = await Task.WhenAll(plant.Model.Sites.Where(s => access.Sees(s.Id)).Select(async site =>
        {
            var status = await grains.GetGrain<ISiteGrain>(site.Id).GetStatusAsync();
            var zone = TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone);
            var shift = status.Lines.SelectMany(l => l.Machines).Select(m => m.Shift).FirstOrDefault(s => s is not null);
            return new Site(
                site.Id,
                site.Name,
                site.TimeZone,
                zone,
                shift?.Name ?? "no shifts",
                status.Lines.Select(l => new Line(l.Id, l.Name, l.Machines.Select(ToMachine).ToList())).ToList())
            {
                ShiftOee = status.ShiftOee?.Oee,
            };
        }));
        return sites;
    }

    /// <summary>The overview with one machine's new status applied (a machine it does not list is ignored).</summary>
    public static IReadOnlyList<Site> With(IReadOnlyList<Site> sites, MachineStatus status) =>
        sites.Select(site => site with
        {
            Lines = site.Lines.Select(line => line with
            {
                Machines = line.Machines.Select(m => m.Id == status.Id ? ToMachine(status) : m).ToList(),
            }).ToList(),
        }).ToList();

    private static Machine ToMachine(MachineStatus m) => new(m.Id, m.Name, m.State, m.Since, m.ShiftOee?.Oee);

    public sealed record Site(string Id, string Name, string TimeZone, TimeZoneInfo Zone, string ShiftName, IReadOnlyList<Line> Lines)
    {
        /// <summary>The site's OEE this shift (its machines' components added up), when it has one.</summary>
        public double? ShiftOee { get; init; }

        public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);
    }

    public sealed record Line(string Id, string Name, IReadOnlyList<Machine> Machines);

    public sealed record Machine(string Id, string Name, MachineState? State, DateTimeOffset? Since, double? Oee);
}
