using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Telemetry.Queue;

/// <summary>
/// Reads one partition of the queue for its pulling agent, in id order. The agent reports a message delivered once
/// every consumer's delivery call returned, and the machine grain returns only after it appended what the message
/// caused: only then is the message removed. Messages left by a crash are read again at the next start.
/// </summary>
internal sealed partial class TelemetryQueueReceiver(
    TelemetryQueue queue,
    int partition,
    Serializer<TelemetryEvent> serializer,
    ILogger<TelemetryQueueReceiver> logger) : IQueueAdapterReceiver
{
    // What one read takes when the agent sets no limit.
    private const int DefaultReadSize = 1_000;

    private ITelemetryQueueReader? _reader;
    private long _readUpTo;

    public Task Initialize(TimeSpan timeout)
    {
        _reader ??= queue.OpenReader(partition);
        return Task.CompletedTask;
    }

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        if (_reader is null)
        {
            return [];
        }

        var rows = await _reader.ReadAsync(_readUpTo, maxCount > 0 ? maxCount : DefaultReadSize);
        var batches = new List<IBatchContainer>(rows.Count);
        List<long>? unreadable = null;
        foreach (var row in rows)
        {
            _readUpTo = row.Id;
            try
            {
                batches.Add(new TelemetryBatch
                {
                    StreamId = StreamId.Create(row.StreamNamespace, row.StreamKey),
                    Telemetry = serializer.Deserialize(row.Payload) ?? throw new InvalidDataException("The queued message is empty."),
                    Token = new EventSequenceTokenV2(row.Id),
                });
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Written by a build whose message shape this one cannot read: it can never be delivered.
                LogUnreadable(logger, exception, row.Id, row.StreamKey);
                (unreadable ??= []).Add(row.Id);
            }
        }

        if (unreadable is not null)
        {
            await queue.DeleteAsync(partition, unreadable);
        }

        return batches;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) =>
        queue.DeleteAsync(partition, messages.Select(m => m.SequenceToken.SequenceNumber).ToList());

    public Task Shutdown(TimeSpan timeout)
    {
        _reader?.Dispose();
        _reader = null;
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry queue message {Id} for {Machine} cannot be read; it is removed")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, long id, string machine);
}
