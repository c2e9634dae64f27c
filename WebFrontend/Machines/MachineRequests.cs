using System.ComponentModel.DataAnnotations;
using MesOrleans.Errors;
using MesOrleans.Machines;

namespace MesOrleans.WebFrontend.Machines;

// Request bodies of the machine API. A null time means "now"; an explicit one records something after the fact and
// must carry its offset. Free text is bounded (TextLimits): longer values answer 400 naming the field.

public sealed record ReportStateRequest(
    MachineState State,
    [property: MaxLength(TextLimits.Code)] string? ReasonCode,
    DateTimeOffset? At,
    [property: MaxLength(TextLimits.Person)] string? Actor,
    [property: MaxLength(TextLimits.Note)] string? Note);

public sealed record StartDowntimeRequest(
    [property: MaxLength(TextLimits.Code)] string ReasonCode,
    [property: MaxLength(TextLimits.Note)] string? Note,
    [property: MaxLength(TextLimits.Person)] string? Operator,
    DateTimeOffset? At);

public sealed record RecodeDowntimeRequest(
    [property: MaxLength(TextLimits.Code)] string ReasonCode,
    [property: MaxLength(TextLimits.Person)] string? Operator);

public sealed record EndDowntimeRequest([property: MaxLength(TextLimits.Person)] string? Operator, DateTimeOffset? At);

public sealed record ScrapRequest(
    long Quantity,
    [property: MaxLength(TextLimits.Code)] string ReasonCode,
    [property: MaxLength(TextLimits.Person)] string? Operator,
    DateTimeOffset? At);

/// <summary>A reason for parts of the scrap the machine counted itself this shift.</summary>
public sealed record ScrapReasonRequest(long Quantity, [property: MaxLength(TextLimits.Code)] string ReasonCode, [property: MaxLength(TextLimits.Person)] string? Operator);

public sealed record GoodCountRequest(
    long Good,
    [property: MaxLength(TextLimits.Person)] string? Operator,
    DateTimeOffset? At,
    [property: MaxLength(TextLimits.Note)] string? OverrideReason = null);

public sealed record RecodeStopRequest(
    [property: MaxLength(TextLimits.Code)] string ReasonCode,
    [property: MaxLength(TextLimits.Person)] string By,
    [property: MaxLength(TextLimits.Note)] string Why);

public sealed record SplitStopRequest(
    DateTimeOffset At,
    [property: MaxLength(TextLimits.Code)] string ReasonCode,
    [property: MaxLength(TextLimits.Person)] string By,
    [property: MaxLength(TextLimits.Note)] string Why);

public sealed record VoidEntryRequest(
    [property: MaxLength(TextLimits.Person)] string By,
    [property: MaxLength(TextLimits.Note)] string Why);
