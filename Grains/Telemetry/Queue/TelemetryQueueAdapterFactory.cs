using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesOrleans.Telemetry.Queue;

/// <summary>Builds the telemetry stream provider's parts: adapter, cache, partition mapper and failure handler.</summary>
internal sealed partial class TelemetryQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly TelemetryQueue _queue;
    private readonly Serializer<TelemetryEvent> _serializer;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TelemetryPartitions _partitions;
    private readonly SimpleQueueAdapterCache _cache;

    private TelemetryQueueAdapterFactory(
        string name,
        TelemetryQueue queue,
        TelemetryPartitions partitions,
        SimpleQueueCacheOptions cacheOptions,
        Serializer<TelemetryEvent> serializer,
        ILoggerFactory loggerFactory)
    {
        _name = name;
        _queue = queue;
        _serializer = serializer;
        _loggerFactory = loggerFactory;
        _partitions = partitions;

        // The cache logs only at Debug, from the innermost loop: each stream's cursor asks its logger at every message of
        // the partition it steps over, which was the largest single cost per message (tests/Benchmarks/README.md).
        _cache = new SimpleQueueAdapterCache(cacheOptions, name, NullLoggerFactory.Instance);
    }

    public static IQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        return new TelemetryQueueAdapterFactory(
            name,
            services.GetRequiredService<TelemetryQueue>(),
            services.GetRequiredService<TelemetryPartitions>(),
            services.GetRequiredService<IOptionsMonitor<SimpleQueueCacheOptions>>().Get(name),
            services.GetRequiredService<Serializer<TelemetryEvent>>(),
            services.GetRequiredService<ILoggerFactory>());
    }

    public async Task<IQueueAdapter> CreateAdapter()
    {
        await _queue.OpenAsync();
        return new TelemetryQueueAdapter(_name, _queue, _partitions, _serializer, _loggerFactory);
    }

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _partitions.Mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new DeliveryFailureLog(_loggerFactory.CreateLogger<DeliveryFailureLog>()));

    /// <summary>
    /// A message its grain could not take within the agent's delivery time stays in the queue (it is not reported
    /// delivered) and is delivered again at the next start; the subscription goes on with the next messages.
    /// </summary>
    private sealed partial class DeliveryFailureLog(ILogger<DeliveryFailureLog> logger) : IStreamFailureHandler
    {
        public bool ShouldFaultSubsriptionOnError => false;

        public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
        {
            LogDeliveryFailed(logger, streamIdentity.GetKeyAsString(), sequenceToken?.SequenceNumber ?? 0);
            return Task.CompletedTask;
        }

        public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
            Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry message {Id} for {Machine} could not be delivered; it stays queued and is delivered again after a restart")]
        private static partial void LogDeliveryFailed(ILogger logger, string machine, long id);
    }
}
