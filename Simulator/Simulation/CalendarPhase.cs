namespace MesOrleans.Simulator;

/// <summary>What the shift calendar says a machine should be doing.</summary>
internal enum PhaseKind
{
    /// <summary>Within a shift and not in a break: planned production time.</summary>
    Production,

    /// <summary>A break within a shift.</summary>
    Break,

    /// <summary>No shift at all.</summary>
    OffShift,
}

/// <summary>A phase of the calendar and the instant up to which it is known to last (it may go on after).</summary>
internal readonly record struct CalendarPhase(PhaseKind Kind, DateTimeOffset Until);
