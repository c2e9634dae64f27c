using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.Quality;
using MesOrleans.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace MesOrleans.WorkOrders;

/// <inheritdoc cref="IWorkOrderBookGrain" />
/// <remarks>
/// Steps that touch the shop floor call the order's grain first and save the book after, each idempotent: a step
/// interrupted between the two is completed by doing it again.
/// </remarks>
internal sealed partial class WorkOrderBookGrain(
    [PersistentState("book", MesStorage.Name)] IPersistentState<WorkOrderBookState> book,
    [PersistentState("archive", MesStorage.Name)] IPersistentState<WorkOrderArchiveState> archive,
    PlantCatalog catalog,
    TimeProvider time,
    ILogger<WorkOrderBookGrain> logger) : Grain, IWorkOrderBookGrain
{
    private string Site => this.GetPrimaryKeyString();

    private Dictionary<string, WorkOrderEntry> Open => book.State.Open;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A completion interrupted between its two writes left the order in both: the archive has the later step.
        foreach (var done in archive.State.Done.Where(d => Open.ContainsKey(d.OrderNumber)).ToList())
        {
            Open.Remove(done.OrderNumber);
        }

        return Task.CompletedTask;
    }

    public async Task<WorkOrderEntry> CreateAsync(WorkOrderPlan plan)
    {
        var plant = await RequireSiteAsync();
        var problems = WorkOrderPlanRules.Check(plan, plant, Site);
        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid($"Work order '{plan.OrderNumber}' is not valid.", problems.Select(p => new ValidationProblem(JsonPath(p.Column), p.Message)).ToList());
        }

        if (Find(plan.OrderNumber) is not null)
        {
            throw MesCommandException.Conflict($"Work order '{plan.OrderNumber}' exists already.");
        }

        await ClaimAsync([plan.OrderNumber], row => throw MesCommandException.Conflict($"Work order '{plan.OrderNumber}' exists already at site '{row}'."));
        var entry = new WorkOrderEntry(plan, WorkOrderStatus.Planned, ++book.State.LastRank, time.GetUtcNow());
        Open[plan.OrderNumber] = entry;
        await SaveAsync(plan.OrderNumber);
        return entry;
    }

    public async Task<WorkOrderImportOutcome> ImportAsync(IReadOnlyList<WorkOrderImportRow> rows, bool dryRun)
    {
        var plant = await RequireSiteAsync();
        var errors = new List<WorkOrderRowError>();
        var firstLine = new Dictionary<string, int>();
        var created = new List<WorkOrderPlan>();
        var updated = new List<WorkOrderPlan>();
        var unchanged = 0;
        foreach (var row in rows)
        {
            var plan = row.Plan;
            var problems = WorkOrderPlanRules.Check(plan, plant, Site);
            errors.AddRange(problems.Select(p => new WorkOrderRowError(row.Line, p.Column, p.Message)));
            if (!firstLine.TryAdd(plan.OrderNumber, row.Line))
            {
                errors.Add(new(row.Line, "order", $"order '{plan.OrderNumber}' is already on line {firstLine[plan.OrderNumber]} of the file."));
                continue;
            }

            if (problems.Count > 0)
            {
                continue;
            }

            switch (Find(plan.OrderNumber))
            {
                case null:
                    created.Add(plan);
                    break;
                case { IsOpenForPlanning: false } started:
                    errors.Add(new(row.Line, "order", $"order '{plan.OrderNumber}' is {Text(started.Status)}: an import never changes an order that has started."));
                    break;
                case { } existing when existing.Plan == plan:
                    unchanged++;
                    break;
                default:
                    updated.Add(plan);
                    break;
            }
        }

        var numbers = created.Select(p => p.OrderNumber).ToList();
        var directory = GrainFactory.GetGrain<IWorkOrderDirectoryGrain>(IWorkOrderDirectoryGrain.Key);
        var elsewhere = errors.Count > 0 || dryRun || numbers.Count == 0
            ? await directory.SitesOfAsync(numbers)
            : await directory.ClaimAsync(Site, numbers);
        errors.AddRange(elsewhere.Where(e => e.Value != Site).Select(e => new WorkOrderRowError(firstLine[e.Key], "order", $"order '{e.Key}' belongs to site '{e.Value}'.")));
        if (errors.Count > 0)
        {
            return new WorkOrderImportOutcome(0, 0, 0, errors.OrderBy(e => e.Line).ToList());
        }

        if (!dryRun && created.Count + updated.Count > 0)
        {
            var now = time.GetUtcNow();
            foreach (var plan in created)
            {
                Open[plan.OrderNumber] = new WorkOrderEntry(plan, WorkOrderStatus.Planned, ++book.State.LastRank, now);
            }

            foreach (var plan in updated)
            {
                var entry = Open[plan.OrderNumber];

                // An order moved to another line goes to the end of that line's queue.
                Open[plan.OrderNumber] = entry with { Plan = plan, Rank = entry.Plan.LineId == plan.LineId ? entry.Rank : ++book.State.LastRank };
            }

            await SaveAsync(orderNumber: null);
            LogImported(logger, Site, created.Count, updated.Count, unchanged);
        }

        return new WorkOrderImportOutcome(created.Count, updated.Count, unchanged, []);
    }

    public Task<WorkOrderEntry?> FindAsync(string orderNumber) => Task.FromResult(Find(orderNumber));

    public Task<IReadOnlyList<WorkOrderEntry>> ListAsync(string? lineId, WorkOrderStatus? status) =>
        Task.FromResult<IReadOnlyList<WorkOrderEntry>>(Open.Values.Concat(archive.State.Done)
            .Where(e => (lineId is null || e.Plan.LineId == lineId) && (status is null || e.Status == status))
            .OrderBy(e => e.Plan.LineId, StringComparer.Ordinal)
            .ThenBy(QueueOrder)
            .ThenBy(e => e.Rank)
            .ToList());

    public Task<IReadOnlyList<WorkOrderEntry>> CompletedAsync(DateTimeOffset from, DateTimeOffset to) =>
        Task.FromResult<IReadOnlyList<WorkOrderEntry>>(archive.State.Done
            .Where(e => e.CompletedAt >= from && e.CompletedAt < to)
            .OrderBy(e => e.CompletedAt)
            .ToList());

    public async Task<SiteSchedule> GetScheduleAsync()
    {
        var plant = await RequireSiteAsync();
        var now = time.GetUtcNow();
        var calendar = plant.CalendarOf(Site);
        var lines = new List<LineSchedule>();
        foreach (var line in plant.Site(Site)!.Lines)
        {
            var path = EquipmentPath.ForLine(Site, line.Id);
            var queue = Open.Values.Where(e => e.Plan.LineId == path.ToString()).OrderBy(QueueOrder).ThenBy(e => e.Rank).ToList();
            var progress = await Task.WhenAll(queue.Select(e => e.StartedAt is null
                ? Task.FromResult(WorkOrderProgress.None)
                : GrainFactory.GetGrain<IWorkOrderGrain>(e.OrderNumber).GetProgressAsync()));
            var counting = plant.CountingMachineOf(path);
            var cycles = queue.Select(e => counting is { } machine ? plant.IdealCycleTime(machine, e.Plan.PartNumber) : TimeSpan.Zero).ToList();
            var work = queue.Select((e, i) => new QueuedWork(cycles[i] * Math.Max(0, e.Plan.Quantity - progress[i].Good - progress[i].Held), e.Plan.Due)).ToList();
            var projected = ScheduleProjection.Project(calendar, now, work);
            lines.Add(new LineSchedule(
                path.ToString(),
                line.Name,
                queue.Select((e, i) => new ScheduledOrder(e, progress[i], cycles[i], projected[i].Start, projected[i].End, projected[i].Late)).ToList()));
        }

        return new SiteSchedule(Site, now, lines);
    }

    public async Task<WorkOrderEntry> ReleaseAsync(string orderNumber)
    {
        var entry = RequireStatus(orderNumber, "released", WorkOrderStatus.Planned);
        return await UpdateAsync(entry with { Status = WorkOrderStatus.Released, ReleasedAt = time.GetUtcNow() });
    }

    public async Task<WorkOrderEntry> StartAsync(string orderNumber) =>
        await RunAsync(RequireStatus(orderNumber, "started", WorkOrderStatus.Released));

    public async Task<WorkOrderEntry> PauseAsync(string orderNumber)
    {
        var entry = RequireStatus(orderNumber, "paused", WorkOrderStatus.Running);
        var progress = await Order(orderNumber).LeaveLineAsync();
        return await UpdateAsync(entry with { Status = WorkOrderStatus.Paused, Good = progress.Good, Scrap = progress.Scrap });
    }

    public async Task<WorkOrderEntry> ResumeAsync(string orderNumber) =>
        await RunAsync(RequireStatus(orderNumber, "resumed", WorkOrderStatus.Paused));

    public async Task<WorkOrderEntry> CompleteAsync(string orderNumber)
    {
        var entry = RequireStatus(orderNumber, "completed", WorkOrderStatus.Running, WorkOrderStatus.Paused);
        var progress = await Order(orderNumber).LeaveLineAsync();
        var done = entry with { Status = WorkOrderStatus.Completed, CompletedAt = time.GetUtcNow(), Good = progress.Good, Scrap = progress.Scrap };

        // Into the archive first: a crash between the two writes leaves the order in both, which the next step mends.
        Archive(done);
        await archive.WriteStateAsync();
        Open.Remove(orderNumber);
        await SaveAsync(orderNumber);
        return done;
    }

    public async Task<WorkOrderEntry> CloseAsync(string orderNumber)
    {
        var entry = RequireStatus(orderNumber, "closed", WorkOrderStatus.Completed);
        var progress = await Order(orderNumber).GetProgressAsync();
        var closed = entry with { Status = WorkOrderStatus.Closed, ClosedAt = time.GetUtcNow(), Good = progress.Good, Scrap = progress.Scrap };
        Archive(closed);
        await archive.WriteStateAsync();
        await PublishAsync(orderNumber);
        return closed;
    }

    public async Task<WorkOrderEntry> DispatchAsync(string lineId)
    {
        if (RunningOn(lineId) is { } running)
        {
            throw MesCommandException.Conflict($"Line '{lineId}' runs work order '{running.OrderNumber}'; pause or complete it first.");
        }

        var next = Open.Values.Where(e => e.Plan.LineId == lineId && e.Status == WorkOrderStatus.Released).OrderBy(e => e.Rank).FirstOrDefault()
            ?? throw MesCommandException.Conflict($"Line '{lineId}' has no released work order to start.");
        return await RunAsync(next);
    }

    public async Task<IReadOnlyList<WorkOrderEntry>> MoveAsync(string orderNumber, int position)
    {
        var entry = Open.GetValueOrDefault(orderNumber)
            ?? throw (Find(orderNumber) is null ? NotFound(orderNumber) : MesCommandException.Conflict($"Work order '{orderNumber}' is done; only queued orders move."));
        var queue = Open.Values.Where(e => e.Plan.LineId == entry.Plan.LineId).OrderBy(e => e.Rank).ToList();
        if (position < 1 || position > queue.Count)
        {
            throw MesCommandException.Invalid($"The queue of line '{entry.Plan.LineId}' has positions 1 to {queue.Count}; {position} is not one.",
                [new("$.position", $"must be from 1 to {queue.Count}.")]);
        }

        // The line's ranks are dealt out again in the new order: other lines keep theirs.
        var ranks = queue.Select(e => e.Rank).ToList();
        queue.Remove(entry);
        queue.Insert(position - 1, entry);
        for (var i = 0; i < queue.Count; i++)
        {
            Open[queue[i].OrderNumber] = queue[i] with { Rank = ranks[i] };
        }

        await SaveAsync(orderNumber);
        return Open.Values.Where(e => e.Plan.LineId == entry.Plan.LineId).OrderBy(QueueOrder).ThenBy(e => e.Rank).ToList();
    }

    public async Task<WorkOrderEntry> AdoptAsync(WorkOrderEntry entry)
    {
        if (Find(entry.OrderNumber) is { } known)
        {
            return known;
        }

        await ClaimAsync([entry.OrderNumber], site => throw MesCommandException.Conflict($"Work order '{entry.OrderNumber}' belongs to site '{site}'."));
        var adopted = entry with { Rank = ++book.State.LastRank };
        if (adopted.IsQueued)
        {
            Open[entry.OrderNumber] = adopted;
            await SaveAsync(entry.OrderNumber);
        }
        else
        {
            Archive(adopted);
            await archive.WriteStateAsync();
            await PublishAsync(entry.OrderNumber);
        }

        return adopted;
    }

    // Starts or resumes: the order's grain puts it on its line (Conflict when the line runs another), then the book saves.
    private async Task<WorkOrderEntry> RunAsync(WorkOrderEntry entry)
    {
        if (RunningOn(entry.Plan.LineId) is { } running && running.OrderNumber != entry.OrderNumber)
        {
            throw MesCommandException.Conflict($"Line '{entry.Plan.LineId}' runs work order '{running.OrderNumber}'; pause or complete it first.");
        }

        var plan = await GrainFactory.GetGrain<IPartQualityGrain>(entry.Plan.PartNumber).GetPlanAsync();
        var progress = await Order(entry.OrderNumber).RunAsync(new WorkOrderRun(entry.Plan.PartNumber, entry.Plan.LineId, plan?.FirstArticleRequired ?? false));
        return await UpdateAsync(entry with
        {
            Status = WorkOrderStatus.Running,
            StartedAt = entry.StartedAt ?? time.GetUtcNow(),
            Good = progress.Good,
            Scrap = progress.Scrap,
        });
    }

    private async Task<WorkOrderEntry> UpdateAsync(WorkOrderEntry entry)
    {
        Open[entry.OrderNumber] = entry;
        await SaveAsync(entry.OrderNumber);
        return entry;
    }

    private async Task SaveAsync(string? orderNumber)
    {
        await book.WriteStateAsync();
        await PublishAsync(orderNumber);
    }

    // Screens read the book again; a failed notice must not fail a step that was saved.
    private async Task PublishAsync(string? orderNumber)
    {
        try
        {
            await this.GetStreamProvider(MesStreams.LiveProvider)
                .GetStream<WorkOrderChange>(StreamId.Create(MesStreams.Orders, Site))
                .OnNextAsync(new WorkOrderChange(Site, orderNumber));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPublishFailed(logger, exception, Site);
        }
    }

    private void Archive(WorkOrderEntry entry)
    {
        var done = archive.State.Done;
        done.RemoveAll(e => e.OrderNumber == entry.OrderNumber);
        done.Add(entry);
        var cutoff = time.GetUtcNow() - WorkOrderArchiveState.Retention;
        done.RemoveAll(e => e.CompletedAt < cutoff);
        if (done.Count > WorkOrderArchiveState.MaxOrders)
        {
            done.Sort((a, b) => Nullable.Compare(a.CompletedAt, b.CompletedAt));
            done.RemoveRange(0, done.Count - WorkOrderArchiveState.MaxOrders);
        }
    }

    private async Task ClaimAsync(IReadOnlyList<string> numbers, Action<string> taken)
    {
        var elsewhere = await GrainFactory.GetGrain<IWorkOrderDirectoryGrain>(IWorkOrderDirectoryGrain.Key).ClaimAsync(Site, numbers);
        if (elsewhere.Count > 0)
        {
            taken(elsewhere.First().Value);
        }
    }

    private WorkOrderEntry? Find(string orderNumber) =>
        Open.GetValueOrDefault(orderNumber) ?? archive.State.Done.Find(e => e.OrderNumber == orderNumber);

    private WorkOrderEntry? RunningOn(string lineId) =>
        Open.Values.FirstOrDefault(e => e.Plan.LineId == lineId && e.Status == WorkOrderStatus.Running);

    private WorkOrderEntry RequireStatus(string orderNumber, string verb, params WorkOrderStatus[] allowed)
    {
        var entry = Find(orderNumber) ?? throw NotFound(orderNumber);
        return allowed.Contains(entry.Status)
            ? entry
            : throw MesCommandException.Conflict(
                $"Work order '{orderNumber}' is {Text(entry.Status)}; only a {string.Join(" or ", allowed.Select(Text))} order can be {verb}.");
    }

    private async Task<PlantView> RequireSiteAsync()
    {
        var plant = await catalog.GetCurrentAsync();
        if (plant.Site(Site) is null && (plant = await catalog.RefreshAsync()).Site(Site) is null)
        {
            throw MesCommandException.NotFound($"Site '{Site}' is not in the plant model.");
        }

        return plant;
    }

    private IWorkOrderGrain Order(string orderNumber) => GrainFactory.GetGrain<IWorkOrderGrain>(orderNumber);

    private MesCommandException NotFound(string orderNumber) => MesCommandException.NotFound($"There is no work order '{orderNumber}' at site '{Site}'.");

    // The running order leads its line's queue, then paused ones, then the rest by rank.
    private static int QueueOrder(WorkOrderEntry e) => e.Status switch
    {
        WorkOrderStatus.Running => 0,
        WorkOrderStatus.Paused => 1,
        WorkOrderStatus.Completed or WorkOrderStatus.Closed => 3,
        _ => 2,
    };

    private static string Text(WorkOrderStatus status) => status.ToString().ToLowerInvariant();

    private static string JsonPath(string column) => column switch
    {
        "order" => "$.orderNumber",
        "part" => "$.product",
        "quantity" => "$.targetQuantity",
        "line" => "$.lineId",
        _ => $"$.{column}",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Work orders of {Site} imported: {Created} created, {Updated} updated, {Unchanged} unchanged")]
    private static partial void LogImported(ILogger logger, string site, int created, int updated, int unchanged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell screens of {Site} that its work orders changed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string site);
}
