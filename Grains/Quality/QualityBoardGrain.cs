using MesOrleans.Errors;
using MesOrleans.Plant;

namespace MesOrleans.Quality;

/// <summary>A site's quality board: its recent inspections, and its non-conformance reports (the open ones and those of the last 400 days).</summary>
public sealed class QualityBoardState
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    public List<Inspection> Recent { get; set; } = [];

    public List<Ncr> Ncrs { get; set; } = [];

    /// <summary>The last report number handed out; numbers are never reused.</summary>
    public int LastNcr { get; set; }
}

/// <inheritdoc cref="IQualityBoardGrain" />
internal sealed class QualityBoardGrain(
    [PersistentState("quality", MesStorage.Name)] IPersistentState<QualityBoardState> state,
    PlantCatalog catalog,
    TimeProvider time) : Grain, IQualityBoardGrain
{
    private const long MaxQuantity = 10_000_000;

    private string Site => this.GetPrimaryKeyString();

    private QualityBoardState S => state.State;

    public async Task NoteInspectionAsync(Inspection inspection)
    {
        if (S.Recent.Exists(i => i.Id == inspection.Id))
        {
            return;
        }

        S.Recent.Insert(0, inspection);
        if (S.Recent.Count > IQualityBoardGrain.RecentInspections)
        {
            S.Recent.RemoveRange(IQualityBoardGrain.RecentInspections, S.Recent.Count - IQualityBoardGrain.RecentInspections);
        }

        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<Inspection>> GetRecentInspectionsAsync(int count) =>
        Task.FromResult<IReadOnlyList<Inspection>>(S.Recent.Take(Math.Max(0, count)).ToList());

    public async Task<Ncr> OpenNcrAsync(NewNcr ncr)
    {
        await RequireSiteAsync();
        var problems = new List<ValidationProblem>();
        if (!PartNumber.IsValid(ncr.PartNumber))
        {
            problems.Add(new("$.part", $"'{ncr.PartNumber}' is not a part number: {PartNumber.Rule}."));
        }

        if (ncr.OrderNumber is { } order && !EquipmentPath.IsValidSegment(order))
        {
            problems.Add(new("$.order", $"'{order}' is not an order number."));
        }

        if (ncr.Quantity is < 1 or > MaxQuantity)
        {
            problems.Add(new("$.quantity", $"must be from 1 to {MaxQuantity:N0}."));
        }

        if (!EquipmentPath.IsValidSegment(ncr.DefectCode))
        {
            problems.Add(new("$.defectCode", "is required: a code of letters, digits, '-' and '_'."));
        }

        if (string.IsNullOrWhiteSpace(ncr.OpenedBy))
        {
            problems.Add(new("$.openedBy", "is required."));
        }

        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid("The non-conformance report is not valid.", problems);
        }

        var now = time.GetUtcNow();
        var opened = new Ncr(++S.LastNcr, Site, ncr.PartNumber, ncr.OrderNumber, ncr.Quantity, ncr.DefectCode, ncr.Description, ncr.OpenedBy, now, NcrStatus.Open, []);
        S.Ncrs.Add(opened);
        S.Ncrs.RemoveAll(n => n.Status == NcrStatus.Closed && n.ClosedAt < now - QualityBoardState.Retention);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not written: the report was not opened (its number stays unused).
            S.Ncrs.Remove(opened);
            throw;
        }

        return opened;
    }

    public Task<Ncr> DispositionAsync(int ncrId, Disposition disposition, string by)
    {
        var ncr = Require(ncrId);
        if (ncr.Status == NcrStatus.Closed)
        {
            throw MesCommandException.Conflict($"Report {ncrId} is closed.");
        }

        return SaveAsync(ncr with { Disposition = disposition, DispositionedBy = by, DispositionedAt = time.GetUtcNow(), Status = NcrStatus.Dispositioned });
    }

    public Task<Ncr> CloseNcrAsync(int ncrId, string by)
    {
        var ncr = Require(ncrId);
        if (ncr.Status != NcrStatus.Dispositioned)
        {
            throw MesCommandException.Conflict($"Report {ncrId} is {ncr.Status.ToString().ToLowerInvariant()}; only a dispositioned report can be closed.");
        }

        if (ncr.Actions.FirstOrDefault(a => a.Status != ActionStatus.Done) is { } open)
        {
            throw MesCommandException.Conflict($"Report {ncrId} has a corrective action not done: '{open.Title}'.");
        }

        return SaveAsync(ncr with { Status = NcrStatus.Closed, ClosedAt = time.GetUtcNow() });
    }

    public Task<Ncr> AddActionAsync(int ncrId, string title, string owner, DateOnly due)
    {
        var ncr = Require(ncrId);
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(title))
        {
            problems.Add(new("$.title", "is required."));
        }

        if (string.IsNullOrWhiteSpace(owner))
        {
            problems.Add(new("$.owner", "is required."));
        }

        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid("The corrective action is not valid.", problems);
        }

        if (ncr.Status == NcrStatus.Closed)
        {
            throw MesCommandException.Conflict($"Report {ncrId} is closed.");
        }

        var action = new CorrectiveAction(ncr.Actions.Count + 1, title.Trim(), owner.Trim(), due, ActionStatus.Open, time.GetUtcNow());
        return SaveAsync(ncr with { Actions = [.. ncr.Actions, action] });
    }

    public Task<Ncr> SetActionStatusAsync(int ncrId, int actionId, ActionStatus status)
    {
        var ncr = Require(ncrId);
        if (!ncr.Actions.Any(a => a.Id == actionId))
        {
            throw MesCommandException.NotFound($"Report {ncrId} has no corrective action {actionId}.");
        }

        var now = time.GetUtcNow();
        return SaveAsync(ncr with { Actions = ncr.Actions.Select(a => a.Id == actionId ? a with { Status = status, UpdatedAt = now } : a).ToList() });
    }

    public Task<IReadOnlyList<Ncr>> GetNcrsAsync(DateTimeOffset from, DateTimeOffset to) =>
        Task.FromResult<IReadOnlyList<Ncr>>(S.Ncrs
            .Where(n => (n.OpenedAt >= from && n.OpenedAt < to) || n.Status != NcrStatus.Closed)
            .OrderByDescending(n => n.Id)
            .ToList());

    private Ncr Require(int ncrId) =>
        S.Ncrs.Find(n => n.Id == ncrId) ?? throw MesCommandException.NotFound($"Site '{Site}' has no non-conformance report {ncrId}.");

    private async Task<Ncr> SaveAsync(Ncr ncr)
    {
        var index = S.Ncrs.FindIndex(n => n.Id == ncr.Id);
        var before = S.Ncrs[index];
        S.Ncrs[index] = ncr;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            S.Ncrs[index] = before;
            throw;
        }

        return ncr;
    }

    private async Task RequireSiteAsync()
    {
        if ((await catalog.GetCurrentAsync()).Site(Site) is null && (await catalog.RefreshAsync()).Site(Site) is null)
        {
            throw MesCommandException.NotFound($"Site '{Site}' is not in the plant model.");
        }
    }
}
