using MesOrleans.Errors;
using MesOrleans.Placement;
using MesOrleans.Plant;

namespace MesOrleans.Shifts;

/// <summary>The persisted shift log of a site: the newest handovers, newest first.</summary>
public sealed class ShiftLogGrainState
{
    public List<ShiftHandover> Handovers { get; set; } = [];
}

/// <inheritdoc cref="IShiftLogGrain" />
[PlaceBySite]
internal sealed class ShiftLogGrain(
    [PersistentState("shiftlog", MesStorage.Name)] IPersistentState<ShiftLogGrainState> state,
    PlantCatalog catalog,
    TimeProvider time) : Grain, IShiftLogGrain
{
    // A supervisor reads back a few shifts; older notes belong in a report, not in a grain's state.
    private const int Kept = 50;

    public async Task<ShiftHandover> HandOverAsync(HandOverShift handover)
    {
        var site = this.GetPrimaryKeyString();
        if ((await catalog.GetCurrentAsync()).Site(site) is null)
        {
            throw MesCommandException.NotFound($"Site '{site}' is not in the plant model.");
        }

        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(handover.Author))
        {
            problems.Add(new ValidationProblem("$.author", "Say who hands over."));
        }

        if (string.IsNullOrWhiteSpace(handover.Note))
        {
            problems.Add(new ValidationProblem("$.note", "Write a note for the next shift."));
        }
        else if (handover.Note.Length > IShiftLogGrain.MaxNoteLength)
        {
            problems.Add(new ValidationProblem("$.note", $"A note has at most {IShiftLogGrain.MaxNoteLength} characters."));
        }

        if (handover.ShiftEnd <= handover.ShiftStart)
        {
            problems.Add(new ValidationProblem("$.shiftEnd", "The shift must end after it starts."));
        }

        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid("The handover is not complete.", problems);
        }

        var entry = new ShiftHandover(
            Guid.CreateVersion7(), handover.ShiftName, handover.ShiftStart, handover.ShiftEnd,
            handover.Author.Trim(), handover.Note.Trim(), time.GetUtcNow(), handover.Summary);
        state.State.Handovers.Insert(0, entry);
        if (state.State.Handovers.Count > Kept)
        {
            state.State.Handovers.RemoveRange(Kept, state.State.Handovers.Count - Kept);
        }

        await state.WriteStateAsync();
        return entry;
    }

    public Task<IReadOnlyList<ShiftHandover>> GetRecentAsync(int count) =>
        Task.FromResult<IReadOnlyList<ShiftHandover>>(state.State.Handovers.Take(Math.Clamp(count, 0, Kept)).ToList());
}
