using MesOrleans.Machines;

namespace MesOrleans.WebFrontend.Machines;

// Request bodies of the machine API. A null time means "now"; an explicit one records something after the fact.

public sealed record ReportStateRequest(MachineState State, string? ReasonCode, DateTimeOffset? At, string? Actor, string? Note);

public sealed record StartDowntimeRequest(string ReasonCode, string? Note, string? Operator, DateTimeOffset? At);

public sealed record RecodeDowntimeRequest(string ReasonCode, string? Operator);

public sealed record EndDowntimeRequest(string? Operator, DateTimeOffset? At);

public sealed record ScrapRequest(long Quantity, string ReasonCode, string? Operator, DateTimeOffset? At);

public sealed record GoodCountRequest(long Good, string? Operator, DateTimeOffset? At);

public sealed record RecodeStopRequest(string ReasonCode, string By, string Why);

public sealed record SplitStopRequest(DateTimeOffset At, string ReasonCode, string By, string Why);

public sealed record VoidEntryRequest(string By, string Why);
