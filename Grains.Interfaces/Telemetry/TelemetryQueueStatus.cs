namespace MesOrleans.Telemetry;

/// <summary>The last commit of the telemetry queue that failed, for the alarm.</summary>
[GenerateSerializer, Immutable, Alias("mes.QueueFailure")]
public sealed record QueueFailure(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Message);

/// <summary>
/// How the telemetry queue stands: messages a device was told are received and its machine has not applied yet.
/// <see cref="Full"/>: nothing more is acknowledged; <see cref="Slowed"/>: devices are acknowledged only as fast as
/// the machines keep up.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.TelemetryQueueStatus")]
public sealed record TelemetryQueueStatus(
    [property: Id(0)] long Depth,
    [property: Id(1)] DateTimeOffset? OldestEnqueuedAt,
    [property: Id(2)] long Refused,
    [property: Id(3)] QueueFailure? LastFailure,
    [property: Id(4)] bool Full,
    [property: Id(5)] bool Slowed);
