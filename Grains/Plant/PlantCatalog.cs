namespace MesOrleans.Plant;

/// <summary>
/// Each process's cache of the current plant model. Grains ask for at least the version they were configured
/// with, so a silo that has not seen a new model yet fetches it once from the plant-model grain; callers outside
/// grains (the web app) accept a view a few seconds old.
/// </summary>
public sealed class PlantCatalog(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan MaxAgeForReaders = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private volatile Entry? _current;

    /// <summary>A view of at least <paramref name="minVersion"/>.</summary>
    public async ValueTask<PlantView> GetAsync(long minVersion)
    {
        if (_current is { } entry && entry.View.Version >= minVersion)
        {
            return entry.View;
        }

        return await FetchAsync(minVersion, MaxAgeForReaders);
    }

    /// <summary>The view this process has, however old, without asking anyone; null before it has one.</summary>
    public PlantView? Cached => _current?.View;

    /// <summary>A view no more than a few seconds old, for readers outside the grains.</summary>
    public async ValueTask<PlantView> GetCurrentAsync()
    {
        if (_current is { } entry && time.GetUtcNow() - entry.FetchedAt < MaxAgeForReaders)
        {
            return entry.View;
        }

        return await FetchAsync(long.MaxValue, MaxAgeForReaders);
    }

    /// <summary>The newest view, fetched now: for a reader that did not find what it looked for in a cached one.</summary>
    public async ValueTask<PlantView> RefreshAsync() => await FetchAsync(long.MaxValue, maxAge: TimeSpan.Zero);

    /// <summary>Takes a model the plant-model grain just applied in this process, so local grains see it at once.</summary>
    public PlantView Publish(PlantModelSnapshot snapshot)
    {
        var view = new PlantView(snapshot);
        if (_current is not { } entry || entry.View.Version <= view.Version)
        {
            _current = new Entry(view, time.GetUtcNow());
        }

        return view;
    }

    private async Task<PlantView> FetchAsync(long minVersion, TimeSpan maxAge)
    {
        await _fetch.WaitAsync();
        try
        {
            // Another caller may have fetched while this one waited.
            if (_current is { } entry && entry.View.Version >= minVersion && time.GetUtcNow() - entry.FetchedAt < maxAge)
            {
                return entry.View;
            }

            var snapshot = await grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key).GetModelAsync();
            return Publish(snapshot);
        }
        finally
        {
            _fetch.Release();
        }
    }

    private sealed record Entry(PlantView View, DateTimeOffset FetchedAt);
}
