using MesOrleans.Machines;
using MesOrleans.Time;

namespace MesOrleans.Oee;

/// <summary>
/// A span in which a machine was in one state with one reason. <paramref name="StopId"/> is the id of the state
/// change that opened it; a split stop gives several intervals with the same id. <paramref name="StopDuration"/> is
/// the whole stop's duration, the same on every piece, so that the micro-stop rule judges a stop as a whole.
/// </summary>
internal sealed record StateInterval(TimeRange Range, MachineState State, string? ReasonCode, Guid StopId, bool Planned, TimeSpan StopDuration);
