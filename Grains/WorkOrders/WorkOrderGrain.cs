using MesOrleans.Errors;
using MesOrleans.History;
using MesOrleans.Lines;
using MesOrleans.Machines;

namespace MesOrleans.WorkOrders;

/// <inheritdoc cref="IWorkOrderGrain" />
/// <remarks>
/// Counting reads the counting machine's log: the events tagged with this order after <see cref="WorkOrderGrainState.CountedThrough"/>,
/// in order. A machine numbers its events without gaps and appends them before it answers, so every tagged count is
/// read once; the counts and the number they reach are saved together, so a crash at any point neither loses nor
/// repeats one. The order catches up whenever it is asked, so every answer has every count recorded so far.
/// </remarks>
internal sealed class WorkOrderGrain(
    [PersistentState("workorder", MesStorage.Name)] IPersistentState<WorkOrderGrainState> state,
    IMachineEventLog log,
    TimeProvider time) : Grain, IWorkOrderGrain
{
    private const int ReadBatch = 5_000;

    private string OrderNumber => this.GetPrimaryKeyString();

    private WorkOrderGrainState S => state.State;

    private bool GateOpen => S.Gate is FirstArticleGate.NotRequired or FirstArticleGate.Passed;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The first release kept hand-reported production and the line in the order itself.
        if (S.Order is { } legacy && !S.LegacyTaken)
        {
            S.LegacyTaken = true;
            S.LineId = legacy.LineId;
            S.PartNumber = legacy.Product;
            S.Good = legacy.Good;
            S.Scrap = legacy.Scrap;
            S.OnLine = legacy.Status == WorkOrderStatus.Running;
        }

        return Task.CompletedTask;
    }

    public async Task<WorkOrderProgress> RunAsync(WorkOrderRun run)
    {
        if (S.LineId is { } line && S.CountingMachine is not null && line != run.LineId)
        {
            throw MesCommandException.Conflict($"Work order '{OrderNumber}' ran on line '{line}'; it cannot move to '{run.LineId}'.");
        }

        await CatchUpAsync();
        var start = await GrainFactory.GetGrain<ILineGrain>(run.LineId).StartOrderAsync(new RunningOrder(OrderNumber, run.PartNumber));
        if (S.CountingMachine is null)
        {
            // The gate is set when the order first starts; a first article inspected before that counts.
            S.Gate = !run.FirstArticleRequired ? FirstArticleGate.NotRequired
                : S.FirstArticlePassed switch { true => FirstArticleGate.Passed, false => FirstArticleGate.Failed, null => FirstArticleGate.Pending };
            S.CountingMachine = start.CountingMachineId;
        }

        S.LineId = run.LineId;
        S.PartNumber = run.PartNumber;
        S.OnLine = true;
        await state.WriteStateAsync();
        return Progress();
    }

    public async Task<WorkOrderProgress> LeaveLineAsync()
    {
        if (S.LineId is { } line)
        {
            await GrainFactory.GetGrain<ILineGrain>(line).StopOrderAsync(OrderNumber);
        }

        await CatchUpAsync();
        if (S.OnLine)
        {
            S.OnLine = false;
            await state.WriteStateAsync();
        }

        return Progress();
    }

    public async Task<WorkOrderProgress> GetProgressAsync()
    {
        await CatchUpAsync();
        return Progress();
    }

    public async Task<WorkOrderProgress> RecordFirstArticleAsync(bool passed, DateTimeOffset at)
    {
        // What was counted before the result is held or released with the others.
        await CatchUpAsync();
        S.FirstArticlePassed = passed;
        if (S.Gate != FirstArticleGate.NotRequired)
        {
            S.Gate = passed ? FirstArticleGate.Passed : FirstArticleGate.Failed;
            if (passed)
            {
                S.Good += S.Held;
                S.Held = 0;
            }
        }

        await state.WriteStateAsync();
        return Progress();
    }

    public async Task<WorkOrderProgress> AddProductionAsync(long good, long scrap)
    {
        if (good < 0 || scrap < 0 || good + scrap == 0)
        {
            throw MesCommandException.Invalid("Production needs a positive good or scrap quantity and no negative one.");
        }

        await CatchUpAsync();
        S.Good += good;
        S.Scrap += scrap;
        await state.WriteStateAsync();
        return Progress();
    }

    public Task<WorkOrderEntry?> TakeLegacyAsync() => Task.FromResult(S.Order is { } legacy
        ? new WorkOrderEntry(
            new WorkOrderPlan(OrderNumber, legacy.Product, legacy.TargetQuantity, legacy.LineId),
            legacy.Status,
            Rank: 0,
            legacy.StartedAt ?? time.GetUtcNow())
        {
            StartedAt = legacy.StartedAt,
            CompletedAt = legacy.CompletedAt,
            Good = legacy.Good,
            Scrap = legacy.Scrap,
        }
        : null);

    /// <summary>Takes every count of this order its counting machine recorded after the last one taken.</summary>
    private async Task CatchUpAsync()
    {
        if (S.CountingMachine is not { } machine)
        {
            return;
        }

        var changed = false;
        IReadOnlyList<MachineEvent> events;
        do
        {
            events = await log.ReadOrderAfterAsync(machine, OrderNumber, S.CountedThrough, ReadBatch);
            foreach (var e in events)
            {
                changed |= await TakeAsync(machine, e);
                S.CountedThrough = e.Sequence;
            }
        }
        while (events.Count == ReadBatch);

        // Without a change of counts the number need not be saved: reading the same events again takes nothing.
        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    private async Task<bool> TakeAsync(string machine, MachineEvent e)
    {
        switch (e.Kind)
        {
            case MachineEventKind.Counted:
                Add(e.TotalDelta - e.ScrapDelta, e.ScrapDelta, e.ReasonCode, sign: 1);
                return true;

            // A void names the entry; the entry says what to take back.
            case MachineEventKind.Voided when e.RefersTo is { } entryId
                && await log.FindAsync(machine, entryId) is { Kind: MachineEventKind.Counted } entry && entry.OrderNumber == OrderNumber:
                Add(entry.TotalDelta - entry.ScrapDelta, entry.ScrapDelta, entry.ReasonCode, sign: -1);
                return true;

            default:
                return false;
        }
    }

    private void Add(long good, long scrap, string? reason, int sign)
    {
        if (GateOpen)
        {
            S.Good += sign * good;
        }
        else if (sign > 0)
        {
            S.Held += good;
        }
        else
        {
            // Taking back parts the gate holds: from the held ones first.
            var fromHeld = Math.Min(S.Held, good);
            S.Held -= fromHeld;
            S.Good -= good - fromHeld;
        }

        S.Scrap += sign * scrap;
        if (scrap != 0)
        {
            var key = reason ?? "";
            S.ScrapByReason[key] = S.ScrapByReason.GetValueOrDefault(key) + (sign * scrap);
        }
    }

    private WorkOrderProgress Progress() =>
        new(S.Good, S.Scrap, S.Held, S.Gate, new Dictionary<string, long>(S.ScrapByReason), S.CountingMachine, S.OnLine);
}
