namespace MesOrleans.Time;

/// <summary>A half-open span of time [Start, End) in UTC.</summary>
public readonly record struct TimeRange
{
    public TimeRange(DateTimeOffset start, DateTimeOffset end)
    {
        if (end < start)
        {
            throw new ArgumentException($"A time range cannot end ({end:O}) before it starts ({start:O}).", nameof(end));
        }

        Start = start.ToUniversalTime();
        End = end.ToUniversalTime();
    }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End { get; }

    public TimeSpan Duration => End - Start;

    public bool IsEmpty => End == Start;

    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    public bool Overlaps(TimeRange other) => Start < other.End && other.Start < End;

    /// <summary>The common part, or null when the ranges do not overlap.</summary>
    public TimeRange? Intersect(TimeRange other)
    {
        var start = Start > other.Start ? Start : other.Start;
        var end = End < other.End ? End : other.End;
        return start < end ? new TimeRange(start, end) : null;
    }

    public override string ToString() => $"[{Start:O}, {End:O})";
}
