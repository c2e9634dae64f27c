namespace MesOrleans.Telemetry;

/// <summary>Why a telemetry message was dropped.</summary>
internal enum TelemetryRejectReason
{
    /// <summary>The topic is not <c>{prefix}/{site}/{line}/{machine}/{signal}</c> with valid ids.</summary>
    BadTopic,

    /// <summary>The topic's last level is neither <c>state</c> nor <c>count</c>.</summary>
    UnknownSignal,

    /// <summary>The machine is not in the plant model.</summary>
    UnknownMachine,

    /// <summary>The payload is empty, not JSON, not a JSON object or not valid UTF-8.</summary>
    MalformedJson,

    /// <summary>A required field is absent or null.</summary>
    MissingField,

    /// <summary>A field has the wrong type or an absurd value.</summary>
    InvalidField,

    /// <summary>The event is older than the accepted age.</summary>
    TooOld,

    /// <summary>The event is further in the future than clocks can be expected to be off.</summary>
    InFuture,

    /// <summary>The payload exceeds <see cref="TelemetryParser.MaxPayloadBytes"/>.</summary>
    PayloadTooLarge,
}

internal static class TelemetryRejectReasonNames
{
    private static readonly string[] Names = Enum.GetValues<TelemetryRejectReason>()
        .Select(reason => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(reason.ToString()))
        .ToArray();

    /// <summary>The reason as it appears in stats, metrics and the API, e.g. <c>malformedJson</c>.</summary>
    public static string CamelCaseName(this TelemetryRejectReason reason) => Names[(int)reason];
}
