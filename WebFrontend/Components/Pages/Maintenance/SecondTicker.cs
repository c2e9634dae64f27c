namespace MesOrleans.WebFrontend.Components.Pages.Maintenance;

/// <summary>
/// The maintenance page's one-second clock for the ticket ages on screen. It only re-renders the ages that listen to
/// it; it never reads grains (the queue is pushed by the board).
/// </summary>
public sealed class SecondTicker(TimeProvider time) : IDisposable
{
    private ITimer? _timer;

    public event Action? Ticked;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Starts ticking; called once the page is interactive, so prerendering starts no timer.</summary>
    public void Start() =>
        _timer ??= time.CreateTimer(_ => Ticked?.Invoke(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    public void Dispose() => _timer?.Dispose();
}
