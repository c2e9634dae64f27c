using MesOrleans.Time;

namespace MesOrleans.Reports.Rollup;

/// <summary>A filed cell as read back: its key, its amount, and the name of its shift.</summary>
public readonly record struct FiledTime(TimeCellKey Key, TimeAmount Amount, string ShiftName);

/// <summary>A filed cell of parts as read back.</summary>
public readonly record struct FiledCount(CountCellKey Key, CountAmount Amount, string ShiftName);

/// <summary>
/// Parts a machine counted in a span, straight from its events (voided entries left out, reasons given afterwards to
/// its own scrap moved to them), by scrap reason and part number: ideal time of the parts whose cycle time was
/// recorded, and the parts without one (counted before the MES recorded it), which the reader values.
/// </summary>
public readonly record struct RawCount(
    string MachineId, string Reason, string Product, long Total, long Scrap, long ScrapEntries,
    long IdealTicks, long IdealGoodTicks, long UnvaluedTotal, long UnvaluedGood)
{
    /// <summary>The amount, parts without a recorded cycle time valued at <paramref name="idealCycleTime"/>.</summary>
    public CountAmount ValuedAt(TimeSpan idealCycleTime) =>
        new(Total, Scrap, ScrapEntries, IdealTicks + (idealCycleTime.Ticks * UnvaluedTotal), IdealGoodTicks + (idealCycleTime.Ticks * UnvaluedGood), UnvaluedTotal, UnvaluedGood);
}

/// <summary>
/// Reads rollups and what they are made from, read-only and on the store's own connections, so that a web app reads
/// them without reaching into a silo. Every method is one query whatever the number of machines.
/// </summary>
public interface IRollupReader
{
    /// <summary>The cells of the scopes on local days [first, last], optionally of one shift (by name) and one product.</summary>
    Task<IReadOnlyList<FiledTime>> TimeAsync(IReadOnlyCollection<string> scopes, DateOnly first, DateOnly last, string? shift, string? product, CancellationToken cancellationToken = default);

    /// <summary>The cells of parts, as <see cref="TimeAsync"/>.</summary>
    Task<IReadOnlyList<FiledCount>> CountsAsync(IReadOnlyCollection<string> scopes, DateOnly first, DateOnly last, string? shift, string? product, CancellationToken cancellationToken = default);

    /// <summary>The fingerprints of the layouts the site's days [first, last] were filed under; days with nothing filed are absent.</summary>
    Task<IReadOnlyDictionary<DateOnly, string>> LayoutsAsync(string site, DateOnly first, DateOnly last, CancellationToken cancellationToken = default);

    /// <summary>The cursors of the machines whose ids start with <paramref name="scope"/> (a site, line or machine path).</summary>
    Task<IReadOnlyList<RollupCursor>> CursorsAsync(string scope, CancellationToken cancellationToken = default);

    /// <summary>The filed pieces of the machines that overlap <paramref name="range"/>, by machine and start.</summary>
    Task<IReadOnlyList<RollupPiece>> PiecesAsync(IReadOnlyCollection<string> machineIds, TimeRange range, CancellationToken cancellationToken = default);

    /// <summary>Every filed piece of the given stops of one machine.</summary>
    Task<IReadOnlyList<RollupPiece>> StopPiecesAsync(string machineId, IReadOnlyCollection<Guid> stopIds, CancellationToken cancellationToken = default);

    /// <summary>Parts the machines counted in <paramref name="range"/>, from their events.</summary>
    Task<IReadOnlyList<RawCount>> RawCountsAsync(IReadOnlyCollection<string> machineIds, TimeRange range, CancellationToken cancellationToken = default);
}
