using System.Collections.Immutable;
using MesOrleans.Machines;

namespace MesOrleans.Tests.Storage;

/// <summary>Shaped like real grain state: init-only members, collections, times, enums and nullables.</summary>
[GenerateSerializer, Alias("tests.TestMachineState")]
public sealed record TestMachineState
{
    [Id(0)] public MachineState State { get; init; } = MachineState.Offline;
    [Id(1)] public DateTimeOffset Since { get; init; }
    [Id(2)] public TimeSpan IdealCycleTime { get; init; }
    [Id(3)] public string? OpenDowntimeReason { get; init; }
    [Id(4)] public MachineState? PreviousState { get; init; }
    [Id(5)] public IReadOnlyList<TestStop> Stops { get; init; } = [];
    [Id(6)] public ImmutableList<long> Sequences { get; init; } = [];
    [Id(7)] public Dictionary<string, long> Counters { get; init; } = [];
    [Id(8)] public Guid LastEventId { get; init; }
    [Id(9)] public long Version { get; init; }
}

/// <summary>A positional record, as many state parts will be.</summary>
[GenerateSerializer, Alias("tests.TestStop")]
public sealed record TestStop([property: Id(0)] string Reason, [property: Id(1)] DateTimeOffset Start, [property: Id(2)] TimeSpan? Duration);
