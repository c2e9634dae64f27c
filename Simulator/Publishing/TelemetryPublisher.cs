using MesOrleans.Telemetry;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MesOrleans.Simulator;

/// <summary>
/// Publishes telemetry to an MQTT broker at QoS 1 over one MQTT 5 connection. MQTTnet 5 has no managed client, so this
/// keeps the connection itself: it reconnects with backoff, and a message whose connection broke before the broker
/// acknowledged it is sent again once reconnected (QoS 1 allows the duplicate; the MES drops it by sequence). At most
/// a fixed number of publishes wait for their acknowledgement at once; <see cref="PublishAsync"/> waits for a place.
/// </summary>
public sealed partial class TelemetryPublisher : IAsyncDisposable
{
    /// <summary>Publishes awaiting the broker's acknowledgement at once, by default.</summary>
    public const int DefaultMaxInFlight = 100;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(10);

    private readonly BrokerEndpoint _broker;
    private readonly ILogger<TelemetryPublisher> _logger;
    private readonly int _maxInFlight;
    private readonly SemaphoreSlim _slots;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();

    // Wakes the connection loop when the connection drops; it holds at most one wake-up.
    private readonly SemaphoreSlim _disconnected = new(0, 1);

    // Completed while connected; replaced by a new one when the connection drops, so senders wait for the next.
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _connectionLoop;
    private long _published;
    private long _failed;
    private long _rejected;
    private int _disposed;

    /// <summary>A publisher for <paramref name="broker"/>; nothing connects until <see cref="ConnectAsync"/>.</summary>
    public TelemetryPublisher(BrokerEndpoint broker, ILogger<TelemetryPublisher> logger, int maxInFlight = DefaultMaxInFlight)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _broker = broker;
        _logger = logger;
        _maxInFlight = maxInFlight;
        _slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;

        // MQTT 5, so that a broker that refuses a message says so in its PUBACK; a clean start, because a publisher
        // has no subscriptions to keep.
        _options = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId($"mes-simulator-{Guid.NewGuid():N}")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
    }

    /// <summary>Messages the broker acknowledged.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages the broker refused, or that were still unsent when the publisher was disposed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Starts keeping the connection, if not yet started, and waits until the broker has accepted it.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_lock)
        {
            _connectionLoop ??= Task.Run(() => KeepConnectedAsync(_stopping.Token), CancellationToken.None);
        }

        return WaitConnectedAsync(cancellationToken);
    }

    /// <summary>
    /// Hands a message over for publishing once a place among the in-flight publishes is free; the broker's
    /// acknowledgement is not awaited (see <see cref="FlushAsync"/>).
    /// </summary>
    public async Task PublishAsync(TelemetryMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _slots.WaitAsync(cancellationToken);
        _ = SendAsync(message);
    }

    /// <summary>
    /// Waits until every message handed over so far is acknowledged or has failed. One flush at a time: two that
    /// each hold part of the in-flight places would wait for each other.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        // Holding every place at once means no publish is in flight.
        var taken = 0;
        try
        {
            for (; taken < _maxInFlight; taken++)
            {
                await _slots.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            if (taken > 0)
            {
                _slots.Release(taken);
            }
        }
    }

    /// <summary>
    /// Stops at once: publishes still waiting for a connection or an acknowledgement count as failed. Call
    /// <see cref="FlushAsync"/> first for a stop that loses nothing.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_connectionLoop is not null)
        {
            await _connectionLoop;
        }

        await FlushAsync(CancellationToken.None);
        if (_client.IsConnected)
        {
            // A DISCONNECT packet tells the broker this was a clean stop, not a lost connection.
            await _client.TryDisconnectAsync(MqttClientDisconnectOptionsReason.NormalDisconnection, "simulator stopped");
        }

        _client.Dispose();
        _stopping.Dispose();
        _slots.Dispose();
        _disconnected.Dispose();
        LogStopped(_broker, Published, Failed);
    }

    private async Task KeepConnectedAsync(CancellationToken stopping)
    {
        var delay = FirstRetryDelay;
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (_client.IsConnected)
                {
                    await _disconnected.WaitAsync(stopping);
                    continue;
                }

                await _client.ConnectAsync(_options, stopping);
                LogConnected(_broker, failures + 1);
                failures = 0;
                delay = FirstRetryDelay;
                lock (_lock)
                {
                    _connected.TrySetResult();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Whatever went wrong, the loop must go on or senders would wait for ever. The first failure in a row
                // is worth a warning; the retries that follow would only flood the log.
                failures++;
                if (failures == 1)
                {
                    LogCannotConnect(_broker, exception.Message, LongestRetryDelay);
                }

                try
                {
                    await Task.Delay(delay, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
            }
        }
    }

    private async Task SendAsync(TelemetryMessage message)
    {
        var stopping = _stopping.Token;
        try
        {
            var mqttMessage = new MqttApplicationMessageBuilder()
                .WithTopic(message.Topic)
                .WithPayload(message.Payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                // A subscriber that comes later learns each machine's state at once; counters need no such help.
                .WithRetainFlag(message.Signal == TelemetrySignal.State)
                .Build();
            while (true)
            {
                await WaitConnectedAsync(stopping);
                try
                {
                    var result = await _client.PublishAsync(mqttMessage, stopping);
                    if (result.IsSuccess)
                    {
                        Interlocked.Increment(ref _published);
                    }
                    else
                    {
                        Interlocked.Increment(ref _failed);
                        if (Interlocked.Increment(ref _rejected) == 1)
                        {
                            LogRejected(message.Topic, result.ReasonCode.ToString(), result.ReasonString);
                        }
                    }

                    return;
                }
                catch (MqttCommunicationException) when (!stopping.IsCancellationRequested)
                {
                    // The connection broke before the acknowledgement: send again on the next one.
                    ConnectionLost();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
        }
        catch (Exception exception)
        {
            // Not a connection problem, so sending again would fail again.
            Interlocked.Increment(ref _failed);
            LogSendFailed(exception, message.Topic);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        Task connected;
        lock (_lock)
        {
            connected = _connected.Task;
        }

        await connected.WaitAsync(cancellationToken);
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected && !_stopping.IsCancellationRequested)
        {
            LogConnectionLost(_broker, args.Reason.ToString());
        }

        ConnectionLost();
        return Task.CompletedTask;
    }

    private void ConnectionLost()
    {
        lock (_lock)
        {
            if (_client.IsConnected || _disposed != 0)
            {
                return;
            }

            if (_connected.Task.IsCompleted)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            if (_disconnected.CurrentCount == 0)
            {
                _disconnected.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the MQTT broker {Broker} (attempt {Attempt})")]
    private partial void LogConnected(BrokerEndpoint broker, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to the MQTT broker {Broker} ({Error}); retrying with backoff up to every {LongestDelay}")]
    private partial void LogCannotConnect(BrokerEndpoint broker, string error, TimeSpan longestDelay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to the MQTT broker {Broker} ({Reason}); reconnecting")]
    private partial void LogConnectionLost(BrokerEndpoint broker, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker refused a message on {Topic}: {ReasonCode} {ReasonString}; further refusals are only counted")]
    private partial void LogRejected(string topic, string reasonCode, string? reasonString);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a message on {Topic}")]
    private partial void LogSendFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped publishing to {Broker}: {Published} messages acknowledged, {Failed} failed")]
    private partial void LogStopped(BrokerEndpoint broker, long published, long failed);
}
