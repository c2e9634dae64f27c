using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Telemetry.Queue;

/// <summary>Builds the telemetry stream provider's parts: adapter, cache, partition mapper and failure handler.</summary>
internal sealed partial class TelemetryQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly TelemetryQueue _queue;
    private readonly Serializer<TelemetryEvent> _serializer;
    private readonly ILoggerFactory _loggerFactory;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly Dictionary<QueueId, int> _partitions;

    private TelemetryQueueAdapterFactory(
        string name,
        TelemetryQueue queue,
        HashRingStreamQueueMapperOptions mapperOptions,
        SimpleQueueCacheOptions cacheOptions,
        Serializer<TelemetryEvent> serializer,
        ILoggerFactory loggerFactory)
    {
        _name = name;
        _queue = queue;
        _serializer = serializer;
        _loggerFactory = loggerFactory;
        _mapper = new HashRingBasedStreamQueueMapper(mapperOptions, name);
        _cache = new SimpleQueueAdapterCache(cacheOptions, name, loggerFactory);

        // A queue's partition is its place on the ring, the same on every start with the same partition count.
        _partitions = _mapper.GetAllQueues().Select((queueId, index) => (queueId, index)).ToDictionary(x => x.queueId, x => x.index);
    }

    public static IQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        var queue = services.GetRequiredService<TelemetryQueue>();
        var partitions = services.GetRequiredService<IOptions<TelemetryQueueOptions>>().Value.Partitions;
        return new TelemetryQueueAdapterFactory(
            name,
            queue,
            new HashRingStreamQueueMapperOptions { TotalQueueCount = partitions },
            services.GetRequiredService<IOptionsMonitor<SimpleQueueCacheOptions>>().Get(name),
            services.GetRequiredService<Serializer<TelemetryEvent>>(),
            services.GetRequiredService<ILoggerFactory>());
    }

    public async Task<IQueueAdapter> CreateAdapter()
    {
        await _queue.OpenAsync();
        return new TelemetryQueueAdapter(_name, _queue, _partitions, _mapper, _serializer, _loggerFactory);
    }

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

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
