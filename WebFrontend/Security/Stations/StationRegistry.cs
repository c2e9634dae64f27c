using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.Security.Tokens;
using Microsoft.EntityFrameworkCore;

namespace MesOrleans.WebFrontend.Security.Stations;

/// <summary>A bound station as the admin page lists it.</summary>
public sealed record StationRow(string Id, string Name, string Site, string Line, string BoundBy, DateTimeOffset BoundAt, DateTimeOffset? RevokedAt);

/// <summary>Binds tablets to lines and unbinds them; an admin binds stations of the sites they administer.</summary>
public sealed class StationRegistry(IDbContextFactory<MesIdentityDb> databases, PlantCatalog catalog, AuditTrail audit, TimeProvider time)
{
    public async Task<IReadOnlyList<StationRow>> ListAsync(MesAccess admin)
    {
        await using var db = await databases.CreateDbContextAsync();
        var stations = await db.Stations.AsNoTracking().OrderBy(s => s.Site).ThenBy(s => s.Line).ThenBy(s => s.Name).ToListAsync();
        return stations.Where(s => admin.Administers(s.Site))
            .Select(s => new StationRow(s.Id, s.Name, s.Site, s.Line, s.BoundBy, s.BoundAt, s.RevokedAt)).ToList();
    }

    /// <summary>Binds a new station to <paramref name="line"/> (<c>site/line</c>) and returns its device cookie's value, shown to nobody.</summary>
    public async Task<(Station Station, string Cookie)> BindAsync(Manager by, string name, string line)
    {
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(name) || name.Length > TextLimits.Name)
        {
            problems.Add(new("name", $"A station needs a name (at most {TextLimits.Name} characters), e.g. \"Press 1 tablet\"."));
        }

        var plant = await catalog.GetCurrentAsync();
        if (!EquipmentPath.TryParse(line, out var path) || !path.IsLine || plant.Line(path) is null)
        {
            problems.Add(new("line", $"'{line}' is not a line of the plant (site/line)."));
        }
        else if (!by.Access.Administers(path.Site))
        {
            problems.Add(new("line", $"You do not administer site '{path.Site}'."));
        }

        if (problems.Count > 0)
        {
            await audit.RecordAsync(new AuditRecord(by.Access.Name, by.Address, "station.bind", null, line, name, $"refused: {problems[0].Message}"));
            throw MesCommandException.Invalid(problems[0].Message, problems);
        }

        var (id, secret) = TokenSecret.New();
        var station = new Station
        {
            Id = id,
            Name = name.Trim(),
            Site = path.Site,
            Line = path.Line!,
            SecretHash = TokenSecret.Hash(secret),
            BoundBy = by.Access.Name,
            BoundAt = time.GetUtcNow(),
        };
        await using var db = await databases.CreateDbContextAsync();
        db.Stations.Add(station);
        await db.SaveChangesAsync();
        await audit.RecordAsync(new AuditRecord(by.Access.Name, by.Address, "station.bind", station.Site, $"{station.Site}/{station.Line}", station.Name, "ok"));
        return (station, $"{id}.{secret}");
    }

    public async Task UnbindAsync(Manager by, string stationId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var station = await db.Stations.SingleOrDefaultAsync(s => s.Id == stationId);
        if (station is null || !by.Access.Administers(station.Site))
        {
            throw MesCommandException.NotFound($"There is no station '{stationId}' you administer.");
        }

        station.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync();
        await audit.RecordAsync(new AuditRecord(by.Access.Name, by.Address, "station.unbind", station.Site, $"{station.Site}/{station.Line}", station.Name, "ok"));
    }
}
