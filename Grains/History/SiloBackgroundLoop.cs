using Orleans.Runtime;

namespace MesOrleans.History;

/// <summary>
/// Work a silo does in the background over its history while it is active: started once the silo is active, on a task
/// of its own so that the start never waits for it, and cancelled and awaited when the silo stops. A pass that fails
/// does not end the loop: the next one comes after the wait <see cref="FailedAsync"/> takes.
/// </summary>
internal abstract class SiloBackgroundLoop : ILifecycleParticipant<ISiloLifecycle>
{
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().FullName!, ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>One pass, including the wait before the next.</summary>
    protected abstract Task PassAsync(CancellationToken stopping);

    /// <summary>Logs a failed pass and waits before the next, until <paramref name="stopping"/>.</summary>
    protected abstract Task FailedAsync(Exception error, CancellationToken stopping);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        _loop = Task.Run(() => LoopAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                await FailedAsync(error, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
