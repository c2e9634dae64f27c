using MesOrleans.Machines;
using MesOrleans.Time;

namespace MesOrleans.Reports.Rollup;

/// <summary>
/// What one projection step changes, to be written in the transaction of the events it projects: amounts to add to
/// cells (negative to take back), pieces to drop (by machine and range of their start) and then to file, cursors, and
/// the layouts of days filed for the first time.
/// </summary>
internal sealed class RollupChange
{
    public Dictionary<TimeCellKey, TimeAmount> Time { get; } = [];

    public Dictionary<CountCellKey, CountAmount> Counts { get; } = [];

    /// <summary>The shift names of the segments cells were added to, by site.</summary>
    public Dictionary<(string Site, SegmentKey Segment), string> ShiftNames { get; } = [];

    public List<(string MachineId, TimeRange Starts)> DroppedPieces { get; } = [];

    public List<RollupPiece> AddedPieces { get; } = [];

    public Dictionary<string, RollupCursor> Cursors { get; } = [];

    /// <summary>Days filed for the first time, with the fingerprint of the layout they are filed under.</summary>
    public Dictionary<(string Site, DateOnly Day), string> NewDays { get; } = [];

    public bool IsEmpty => Time.Count == 0 && Counts.Count == 0 && DroppedPieces.Count == 0 && AddedPieces.Count == 0 && Cursors.Count == 0 && NewDays.Count == 0;

    public void Add(TimeCellKey key, TimeAmount amount, string site, string shiftName)
    {
        var sum = Time.GetValueOrDefault(key) + amount;
        Time[key] = sum;
        ShiftNames[(site, key.Segment)] = shiftName;
    }

    public void Add(CountCellKey key, CountAmount amount, string site, string shiftName)
    {
        Counts[key] = Counts.GetValueOrDefault(key) + amount;
        ShiftNames[(site, key.Segment)] = shiftName;
    }

    /// <summary>Cells whose amounts cancelled out are not written.</summary>
    public IEnumerable<KeyValuePair<TimeCellKey, TimeAmount>> TimeToWrite =>
        Time.Where(c => !c.Value.IsZero).OrderBy(c => c.Key, CellOrder.Time);

    public IEnumerable<KeyValuePair<CountCellKey, CountAmount>> CountsToWrite =>
        Counts.Where(c => !c.Value.IsZero).OrderBy(c => c.Key, CellOrder.Count);

    public void Clear()
    {
        Time.Clear();
        Counts.Clear();
        ShiftNames.Clear();
        DroppedPieces.Clear();
        AddedPieces.Clear();
        Cursors.Clear();
        NewDays.Clear();
    }
}

/// <summary>
/// One order for cells, so that every writer locks shared rows (a site's cells) in the same order and concurrent
/// transactions of several silos wait for each other instead of deadlocking.
/// </summary>
internal static class CellOrder
{
    public static readonly IComparer<TimeCellKey> Time = Comparer<TimeCellKey>.Create((a, b) =>
    {
        var c = Segment(a.Scope, a.Segment, b.Scope, b.Segment);
        c = c != 0 ? c : a.State.CompareTo(b.State);
        c = c != 0 ? c : string.CompareOrdinal(a.Reason, b.Reason);
        c = c != 0 ? c : a.Minor.CompareTo(b.Minor);
        return c != 0 ? c : string.CompareOrdinal(a.Product, b.Product);
    });

    public static readonly IComparer<CountCellKey> Count = Comparer<CountCellKey>.Create((a, b) =>
    {
        var c = Segment(a.Scope, a.Segment, b.Scope, b.Segment);
        c = c != 0 ? c : string.CompareOrdinal(a.Reason, b.Reason);
        return c != 0 ? c : string.CompareOrdinal(a.Product, b.Product);
    });

    private static int Segment(string scopeA, SegmentKey a, string scopeB, SegmentKey b)
    {
        var c = string.CompareOrdinal(scopeA, scopeB);
        c = c != 0 ? c : a.Day.CompareTo(b.Day);
        c = c != 0 ? c : a.ShiftStart.CompareTo(b.ShiftStart);
        return c != 0 ? c : a.Kind.CompareTo(b.Kind);
    }
}

/// <summary>
/// What the projector reads and writes within the event log's transaction: the store's own view, including what this
/// transaction wrote. Implemented for SQLite and PostgreSQL (and in memory for tests).
/// </summary>
internal interface IRollupSession
{
    /// <summary>The machines' cursors (locked for this transaction where the database locks rows); missing ones are absent.</summary>
    Task<IReadOnlyDictionary<string, RollupCursor>> CursorsAsync(IReadOnlyCollection<string> machineIds);

    /// <summary>The machine's events numbered after <paramref name="afterSequence"/>, in order, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<MachineEvent>> EventsAfterAsync(string machineId, long afterSequence, int max);

    /// <summary>
    /// State changes timestamped in [from, through] (the end included), the one in effect before <paramref name="from"/>,
    /// and the re-codes and splits of those, whatever their own time.
    /// </summary>
    Task<IReadOnlyList<MachineEvent>> TimelineAsync(string machineId, DateTimeOffset from, DateTimeOffset through);

    /// <summary>One event of the machine by id, or null.</summary>
    Task<MachineEvent?> EventAsync(string machineId, Guid id);

    /// <summary>True when a void numbered before <paramref name="beforeSequence"/> already took the entry back.</summary>
    Task<bool> VoidedBeforeAsync(string machineId, Guid entryId, long beforeSequence);

    /// <summary>The filed pieces of the machine that start in <paramref name="starts"/>, in order.</summary>
    Task<IReadOnlyList<RollupPiece>> PiecesAsync(string machineId, TimeRange starts);

    /// <summary>The filed piece that contains the instant, or null.</summary>
    Task<RollupPiece?> PieceAtAsync(string machineId, DateTimeOffset at);

    /// <summary>A filed piece of the stop, or null when the stop has none (it lasted no time, or is not filed).</summary>
    Task<RollupPiece?> PieceOfStopAsync(string machineId, Guid stopId);

    /// <summary>The fingerprints of the layouts the days were filed under; days never filed are absent.</summary>
    Task<IReadOnlyDictionary<DateOnly, string>> LayoutsAsync(string site, IReadOnlyCollection<DateOnly> days);

    /// <summary>Writes a change: dropped pieces first, then everything else.</summary>
    Task WriteAsync(RollupChange change);
}
