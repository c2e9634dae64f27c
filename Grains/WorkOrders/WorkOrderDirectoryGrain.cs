namespace MesOrleans.WorkOrders;

/// <summary>The directory's state: the site of every order number ever planned.</summary>
public sealed class WorkOrderDirectoryState
{
    public Dictionary<string, string> Sites { get; set; } = [];
}

/// <inheritdoc cref="IWorkOrderDirectoryGrain" />
internal sealed class WorkOrderDirectoryGrain(
    [PersistentState("directory", MesStorage.Name)] IPersistentState<WorkOrderDirectoryState> state) : Grain, IWorkOrderDirectoryGrain
{
    public Task<IReadOnlyDictionary<string, string>> SitesOfAsync(IReadOnlyList<string> orderNumbers) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(Known(orderNumbers));

    public async Task<IReadOnlyDictionary<string, string>> ClaimAsync(string site, IReadOnlyList<string> orderNumbers)
    {
        var elsewhere = Known(orderNumbers).Where(k => k.Value != site).ToDictionary(k => k.Key, k => k.Value);
        var added = orderNumbers.Where(n => !state.State.Sites.ContainsKey(n)).Distinct().ToList();
        if (elsewhere.Count > 0 || added.Count == 0)
        {
            return elsewhere;
        }

        foreach (var number in added)
        {
            state.State.Sites[number] = site;
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not written: the numbers are not claimed.
            foreach (var number in added)
            {
                state.State.Sites.Remove(number);
            }

            throw;
        }

        return elsewhere;
    }

    private Dictionary<string, string> Known(IEnumerable<string> orderNumbers) =>
        orderNumbers.Distinct().Where(state.State.Sites.ContainsKey).ToDictionary(n => n, n => state.State.Sites[n]);
}
