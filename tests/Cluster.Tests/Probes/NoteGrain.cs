using Orleans.Runtime;

namespace MesOrleans.Cluster.Tests.Probes;

/// <summary>A grain with state in the "mes" storage: a note and how often it was written.</summary>
public interface INoteGrain : IGrainWithStringKey
{
    Task WriteAsync(string text);

    Task<Note> ReadAsync();

    /// <summary>Ends the activation, so that the next call reads the state back from the database.</summary>
    Task DeactivateAsync();
}

[GenerateSerializer, Immutable, Alias("MesOrleans.Cluster.Tests.Note")]
public sealed record Note([property: Id(0)] string Text, [property: Id(1)] int Writes, [property: Id(2)] string? ETag);

public sealed class NoteState
{
    public string Text { get; set; } = "";

    public int Writes { get; set; }
}

public sealed class NoteGrain([PersistentState("note", MesStorage.Name)] IPersistentState<NoteState> state) : Grain, INoteGrain
{
    public async Task WriteAsync(string text)
    {
        state.State.Text = text;
        state.State.Writes++;
        await state.WriteStateAsync();
    }

    public Task<Note> ReadAsync() => Task.FromResult(new Note(state.State.Text, state.State.Writes, state.Etag));

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
