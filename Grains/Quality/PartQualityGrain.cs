using MesOrleans.Errors;
using MesOrleans.Hosting;
using MesOrleans.Plant;
using MesOrleans.WorkOrders;
using Microsoft.Extensions.Options;

namespace MesOrleans.Quality;

/// <summary>A part's inspection plan, written when it changes.</summary>
public sealed class PartPlanState
{
    public InspectionPlan? Plan { get; set; }
}

/// <summary>A part's inspections, oldest first, the newest <see cref="MaxInspections"/> of <see cref="Retention"/>.</summary>
public sealed class PartInspectionsState
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    public const int MaxInspections = 20_000;

    public List<Inspection> Inspections { get; set; } = [];
}

/// <inheritdoc cref="IPartQualityGrain" />
internal sealed class PartQualityGrain(
    [PersistentState("plan", MesStorage.Name)] IPersistentState<PartPlanState> plan,
    [PersistentState("inspections", MesStorage.Name)] IPersistentState<PartInspectionsState> inspections,
    IOptions<MesOptions> options,
    TimeProvider time) : Grain, IPartQualityGrain
{
    private string PartNumber => this.GetPrimaryKeyString();

    public Task<InspectionPlan?> GetPlanAsync() => Task.FromResult(plan.State.Plan);

    public async Task<InspectionPlan> SetPlanAsync(InspectionPlan newPlan)
    {
        var problems = InspectionRules.Check(newPlan);
        if (!Plant.PartNumber.IsValid(PartNumber))
        {
            problems.Insert(0, new("partNumber", $"'{PartNumber}' is not a part number: {Plant.PartNumber.Rule}."));
        }

        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid($"The inspection plan of '{PartNumber}' is not valid.", problems);
        }

        plan.State.Plan = newPlan with { PartNumber = PartNumber, UpdatedAt = time.GetUtcNow() };
        await plan.WriteStateAsync();
        return plan.State.Plan;
    }

    public async Task<Inspection> InspectAsync(InspectionInput input)
    {
        var current = plan.State.Plan
            ?? throw MesCommandException.Invalid($"Part '{PartNumber}' has no inspection plan.", [new("$.part", $"'{PartNumber}' has no inspection plan: put one first.")]);
        var (outcomes, problems) = InspectionRules.Judge(current, input.Results);
        var now = time.GetUtcNow();
        var limits = options.Value.Telemetry;
        if (input.At > now + limits.MaxFutureSkew || input.At < now - PartInspectionsState.Retention)
        {
            problems.Add(new("$.at", $"{input.At:O} is in the future or older than {PartInspectionsState.Retention.TotalDays:0} days."));
        }

        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid($"The inspection of '{PartNumber}' is not valid.", problems);
        }

        var inspection = new Inspection(
            Guid.CreateVersion7(), PartNumber, input.OrderNumber, input.Site, input.Kind, input.At.ToUniversalTime(), now, input.Inspector, outcomes, outcomes.All(o => o.Passed));

        // The gate first: an inspection saved after it failed would leave the order waiting for a result it never got.
        if (inspection.Kind == InspectionKind.FirstArticle && inspection.OrderNumber is { } order)
        {
            await GrainFactory.GetGrain<IWorkOrderGrain>(order).RecordFirstArticleAsync(inspection.Passed, inspection.At);
        }

        var kept = inspections.State.Inspections;
        kept.Insert(kept.FindLastIndex(i => i.At <= inspection.At) + 1, inspection);
        kept.RemoveAll(i => i.At < now - PartInspectionsState.Retention);
        if (kept.Count > PartInspectionsState.MaxInspections)
        {
            kept.RemoveRange(0, kept.Count - PartInspectionsState.MaxInspections);
        }

        await inspections.WriteStateAsync();
        await GrainFactory.GetGrain<IQualityBoardGrain>(inspection.Site).NoteInspectionAsync(inspection);
        return inspection;
    }

    public Task<IReadOnlyList<Inspection>> GetInspectionsAsync(DateTimeOffset from, DateTimeOffset to) =>
        Task.FromResult<IReadOnlyList<Inspection>>(inspections.State.Inspections.Where(i => i.At >= from && i.At < to).ToList());
}
