using MesOrleans.Telemetry;

namespace MesOrleans.Tests.Telemetry;

/// <summary>
/// One valid message as it arrives. <see cref="Expected"/> is what a first delivery must be classified as; copies
/// (<see cref="IsCopy"/>) are checked by the rules for repeats. <see cref="Epoch"/> counts the sender's restarts.
/// </summary>
internal sealed record SimulatedDelivery(
    string Topic,
    byte[] Payload,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    TelemetrySignal Signal,
    int Epoch,
    TelemetryClassification? Expected)
{
    public bool IsCopy { get; init; }
}
