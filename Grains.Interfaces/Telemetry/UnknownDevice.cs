namespace MesOrleans.Telemetry;

/// <summary>
/// A machine that sends telemetry but is not in the plant model: a device set up before the MES knows it, or
/// a typo in its topic.
/// </summary>
/// <param name="MachinePath">The machine's equipment path from the topic, e.g. <c>plant1/assembly/press-9</c>.</param>
/// <param name="Topic">The topic of its latest message.</param>
/// <param name="FirstSeen">When its first message arrived.</param>
/// <param name="LastSeen">When its latest message arrived.</param>
/// <param name="Messages">How many messages it sent.</param>
[GenerateSerializer, Immutable, Alias("mes.UnknownDevice")]
public sealed record UnknownDevice(
    [property: Id(0)] string MachinePath,
    [property: Id(1)] string Topic,
    [property: Id(2)] DateTimeOffset FirstSeen,
    [property: Id(3)] DateTimeOffset LastSeen,
    [property: Id(4)] long Messages);
