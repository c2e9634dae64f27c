using System.Globalization;

namespace MesOrleans.EndToEnd.Tests.Infrastructure;

/// <summary>Telemetry payloads as a PLC publishes them, stamped now.</summary>
public static class PlcMessages
{
    public static string State(string state, string? reason = null) =>
        reason is null
            ? $$"""{"ts":"{{Now()}}","state":"{{state}}"}"""
            : $$"""{"ts":"{{Now()}}","state":"{{state}}","reason":"{{reason}}"}""";

    public static string Count(long total, long scrap) => $$"""{"ts":"{{Now()}}","total":{{total}},"scrap":{{scrap}}}""";

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
