using MesOrleans.Errors;
using MesOrleans.Lines;
using MesOrleans.Plant;

namespace MesOrleans.WorkOrders;

/// <summary>The persisted work order; null until it is created.</summary>
public sealed class WorkOrderGrainState
{
    public WorkOrderView? Order { get; set; }
}

/// <inheritdoc cref="IWorkOrderGrain" />
internal sealed class WorkOrderGrain(
    [PersistentState("workorder", MesStorage.Name)] IPersistentState<WorkOrderGrainState> state,
    PlantCatalog catalog,
    TimeProvider time) : Grain, IWorkOrderGrain
{
    private string OrderNumber => this.GetPrimaryKeyString();

    public async Task<WorkOrderView> CreateAsync(WorkOrderSpec spec)
    {
        if (state.State.Order is not null)
        {
            throw MesCommandException.Conflict($"Work order '{OrderNumber}' exists already.");
        }

        var problems = new List<ValidationProblem>();
        if (!EquipmentPath.IsValidSegment(OrderNumber))
        {
            problems.Add(new("$.orderNumber", "An order number uses letters, digits, '-' and '_' (at most 64)."));
        }

        if (string.IsNullOrWhiteSpace(spec.Product))
        {
            problems.Add(new("$.product", "A product is required."));
        }

        if (spec.TargetQuantity <= 0)
        {
            problems.Add(new("$.targetQuantity", "The target quantity must be at least 1."));
        }

        var plant = await catalog.GetCurrentAsync();
        if (!EquipmentPath.TryParse(spec.LineId, out var line) || !line.IsLine || plant.Line(line) is null)
        {
            problems.Add(new("$.lineId", $"'{spec.LineId}' is not a line of the plant (write it as site/line)."));
        }

        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid($"Work order '{OrderNumber}' is not valid.", problems);
        }

        return await SaveAsync(new WorkOrderView(OrderNumber, spec.Product.Trim(), spec.TargetQuantity, spec.LineId, WorkOrderStatus.Planned, 0, 0, null, null));
    }

    public Task<WorkOrderView> GetAsync() => Task.FromResult(Require());

    public Task<WorkOrderView> ReleaseAsync() =>
        SaveAsync(RequireStatus(WorkOrderStatus.Planned, "released") with { Status = WorkOrderStatus.Released });

    public async Task<WorkOrderView> StartAsync()
    {
        var order = RequireStatus(WorkOrderStatus.Released, "started");
        await Line(order).SetActiveWorkOrderAsync(OrderNumber);
        return await SaveAsync(order with { Status = WorkOrderStatus.Running, StartedAt = time.GetUtcNow() });
    }

    public Task<WorkOrderView> RecordProductionAsync(long good, long scrap)
    {
        var order = RequireStatus(WorkOrderStatus.Running, "given production");
        if (good < 0 || scrap < 0 || good + scrap == 0)
        {
            throw MesCommandException.Invalid("Production needs a positive good or scrap quantity and no negative one.");
        }

        return SaveAsync(order with { Good = order.Good + good, Scrap = order.Scrap + scrap });
    }

    public async Task<WorkOrderView> CompleteAsync()
    {
        var order = RequireStatus(WorkOrderStatus.Running, "completed");
        await Line(order).SetActiveWorkOrderAsync(null);
        return await SaveAsync(order with { Status = WorkOrderStatus.Completed, CompletedAt = time.GetUtcNow() });
    }

    private async Task<WorkOrderView> SaveAsync(WorkOrderView order)
    {
        state.State.Order = order;
        await state.WriteStateAsync();
        return order;
    }

    private ILineGrain Line(WorkOrderView order) => GrainFactory.GetGrain<ILineGrain>(order.LineId);

    private WorkOrderView Require() =>
        state.State.Order ?? throw MesCommandException.NotFound($"There is no work order '{OrderNumber}'.");

    private WorkOrderView RequireStatus(WorkOrderStatus expected, string verb)
    {
        var order = Require();
        return order.Status == expected
            ? order
            : throw MesCommandException.Conflict($"Work order '{OrderNumber}' is {order.Status}; only a {expected} order can be {verb}.");
    }
}
