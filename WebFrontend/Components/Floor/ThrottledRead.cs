namespace MesOrleans.WebFrontend.Components.Floor;

/// <summary>
/// A read that live changes ask for, done at most once per interval. A change that comes sooner is read when the
/// interval is up, so that the last change of a burst (a machine's final count) is always shown. Calls come on the
/// component's dispatcher; the late read goes back through <paramref name="dispatch"/> (the component's InvokeAsync).
/// </summary>
internal sealed class ThrottledRead(TimeSpan interval, TimeProvider time, Func<Func<Task>, Task> dispatch, Func<Task> read) : IDisposable
{
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private ITimer? _late;

    /// <summary>Reads now if the interval is up, otherwise once when it is.</summary>
    public Task RequestAsync()
    {
        var wait = _readAt + interval - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return NowAsync();
        }

        _late ??= time.CreateTimer(_ => dispatch(ReadLateAsync), null, wait, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    /// <summary>Reads now, whatever the interval (an order changed, the page opened).</summary>
    public Task NowAsync()
    {
        _readAt = time.GetUtcNow();
        return read();
    }

    public void Dispose() => _late?.Dispose();

    private Task ReadLateAsync()
    {
        _late?.Dispose();
        _late = null;
        return NowAsync();
    }
}
