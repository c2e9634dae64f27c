using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports.Rollup;
using MesOrleans.Time;

namespace MesOrleans.Tests.Reports.Rollup;

/// <summary>
/// The event log and its rollups in memory, with the same contract as the SQLite and PostgreSQL stores: events are
/// numbered per machine as they are appended, and each append is projected as the event log's writer projects it.
/// </summary>
internal sealed class MemoryRollups(PlantView plant) : IRollupSession, IRollupReader
{
    private readonly List<MachineEvent> _events = [];
    private readonly SortedDictionary<(string Machine, long Start), RollupPiece> _pieces = new();
    private readonly Dictionary<TimeCellKey, TimeAmount> _time = [];
    private readonly Dictionary<CountCellKey, CountAmount> _counts = [];
    private readonly Dictionary<(string Site, SegmentKey Segment), string> _shiftNames = [];
    private readonly Dictionary<string, RollupCursor> _cursors = [];
    private readonly Dictionary<(string Site, DateOnly Day), string> _layouts = [];

    public PlantView Plant { get; set; } = plant;

    public IReadOnlyList<MachineEvent> Events => _events;

    public IReadOnlyDictionary<TimeCellKey, TimeAmount> TimeCells => _time;

    public IReadOnlyDictionary<CountCellKey, CountAmount> CountCells => _counts;

    public IReadOnlyCollection<RollupPiece> Pieces => _pieces.Values;

    public IReadOnlyDictionary<(string Site, DateOnly Day), string> Layouts => _layouts;

    /// <summary>Numbers the events per machine, appends them and projects them, as one commit of the writer.</summary>
    public async Task<IReadOnlyList<MachineEvent>> AppendAsync(IEnumerable<MachineEvent> events, int maxInline = RollupProjector.MaxEventsInline)
    {
        var numbered = new List<MachineEvent>();
        foreach (var e in events)
        {
            var last = _events.Where(x => x.MachineId == e.MachineId).Select(x => x.Sequence).DefaultIfEmpty(0).Max();
            var added = e with { Sequence = last + 1 };
            _events.Add(added);
            numbered.Add(added);
        }

        await RollupProjector.ProjectAsync(this, Plant, numbered.GroupBy(e => e.MachineId).ToDictionary(g => g.Key, g => (IReadOnlyList<MachineEvent>)g.ToList()), maxInline);
        return numbered;
    }

    /// <summary>Projects what cursors missed, as the background catch-up does.</summary>
    public Task CatchUpAsync() =>
        RollupProjector.ProjectAsync(this, Plant, _events.GroupBy(e => e.MachineId).ToDictionary(g => g.Key, g => (IReadOnlyList<MachineEvent>)[g.MaxBy(e => e.Sequence)!]), int.MaxValue);

    public Task<IReadOnlyDictionary<string, RollupCursor>> CursorsAsync(IReadOnlyCollection<string> machineIds) =>
        Task.FromResult<IReadOnlyDictionary<string, RollupCursor>>(machineIds.Where(_cursors.ContainsKey).ToDictionary(m => m, m => _cursors[m]));

    public Task<IReadOnlyList<MachineEvent>> EventsAfterAsync(string machineId, long afterSequence, int max) =>
        Task.FromResult<IReadOnlyList<MachineEvent>>(_events.Where(e => e.MachineId == machineId && e.Sequence > afterSequence).OrderBy(e => e.Sequence).Take(max).ToList());

    public Task<IReadOnlyList<MachineEvent>> TimelineAsync(string machineId, DateTimeOffset from, DateTimeOffset through)
    {
        var changes = Ordered(machineId).Where(e => e.Kind == MachineEventKind.StateChanged).ToList();
        var picked = changes.Where(e => e.Timestamp >= from && e.Timestamp <= through).ToList();
        if (changes.LastOrDefault(e => e.Timestamp < from) is { } inEffect)
        {
            picked.Add(inEffect);
        }

        var ids = picked.Select(e => e.Id).ToHashSet();
        picked.AddRange(_events.Where(e => e.MachineId == machineId && e.Kind is MachineEventKind.StopRecoded or MachineEventKind.StopSplit && e.RefersTo is { } r && ids.Contains(r)));
        return Task.FromResult<IReadOnlyList<MachineEvent>>(picked.OrderBy(e => e.Timestamp).ThenBy(e => e.Sequence).ToList());
    }

    public Task<MachineEvent?> EventAsync(string machineId, Guid id) =>
        Task.FromResult(_events.FirstOrDefault(e => e.MachineId == machineId && e.Id == id));

    public Task<bool> VoidedBeforeAsync(string machineId, Guid entryId, long beforeSequence) =>
        Task.FromResult(_events.Any(e => e.MachineId == machineId && e.Kind == MachineEventKind.Voided && e.RefersTo == entryId && e.Sequence < beforeSequence));

    public Task<IReadOnlyList<RollupPiece>> PiecesAsync(string machineId, TimeRange starts) =>
        Task.FromResult<IReadOnlyList<RollupPiece>>(_pieces.Values.Where(p => p.MachineId == machineId && starts.Contains(p.Range.Start)).ToList());

    public Task<RollupPiece?> PieceAtAsync(string machineId, DateTimeOffset at) =>
        Task.FromResult(_pieces.Values.FirstOrDefault(p => p.MachineId == machineId && p.Range.Contains(at)));

    public Task<RollupPiece?> PieceOfStopAsync(string machineId, Guid stopId) =>
        Task.FromResult(_pieces.Values.FirstOrDefault(p => p.MachineId == machineId && p.StopId == stopId));

    public Task<IReadOnlyDictionary<DateOnly, string>> LayoutsAsync(string site, IReadOnlyCollection<DateOnly> days) =>
        Task.FromResult<IReadOnlyDictionary<DateOnly, string>>(days.Where(d => _layouts.ContainsKey((site, d))).ToDictionary(d => d, d => _layouts[(site, d)]));

    public Task WriteAsync(RollupChange change)
    {
        foreach (var (machine, starts) in change.DroppedPieces)
        {
            foreach (var key in _pieces.Where(p => p.Key.Machine == machine && starts.Contains(p.Value.Range.Start)).Select(p => p.Key).ToList())
            {
                _pieces.Remove(key);
            }
        }

        foreach (var piece in change.AddedPieces)
        {
            Assert.True(_pieces.TryAdd((piece.MachineId, piece.Range.Start.UtcTicks), piece), $"{piece} is filed twice");
        }

        foreach (var (key, amount) in change.TimeToWrite)
        {
            var sum = _time.GetValueOrDefault(key) + amount;
            if (sum.Ticks == 0 && sum.Stops == 0)
            {
                _time.Remove(key);
            }
            else
            {
                _time[key] = sum;
            }
        }

        foreach (var (key, amount) in change.CountsToWrite)
        {
            var sum = _counts.GetValueOrDefault(key) + amount;
            if (sum.IsZero)
            {
                _counts.Remove(key);
            }
            else
            {
                _counts[key] = sum;
            }
        }

        foreach (var (key, name) in change.ShiftNames)
        {
            _shiftNames[key] = name;
        }

        foreach (var (machine, cursor) in change.Cursors)
        {
            _cursors[machine] = cursor;
        }

        foreach (var (key, fingerprint) in change.NewDays)
        {
            _layouts.TryAdd(key, fingerprint);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<FiledTime>> TimeAsync(IReadOnlyCollection<string> scopes, DateOnly first, DateOnly last, string? shift, string? product, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<FiledTime>>(_time
            .Where(c => scopes.Contains(c.Key.Scope) && c.Key.Segment.Day >= first && c.Key.Segment.Day <= last && (product is null || c.Key.Product == product))
            .Select(c => new FiledTime(c.Key, c.Value, ShiftName(c.Key.Scope, c.Key.Segment)))
            .Where(c => shift is null || (c.Key.Segment.ShiftStart != 0 && c.ShiftName == shift))
            .ToList());

    public Task<IReadOnlyList<FiledCount>> CountsAsync(IReadOnlyCollection<string> scopes, DateOnly first, DateOnly last, string? shift, string? product, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<FiledCount>>(_counts
            .Where(c => scopes.Contains(c.Key.Scope) && c.Key.Segment.Day >= first && c.Key.Segment.Day <= last && (product is null || c.Key.Product == product))
            .Select(c => new FiledCount(c.Key, c.Value, ShiftName(c.Key.Scope, c.Key.Segment)))
            .Where(c => shift is null || (c.Key.Segment.ShiftStart != 0 && c.ShiftName == shift))
            .ToList());

    public Task<IReadOnlyDictionary<DateOnly, string>> LayoutsAsync(string site, DateOnly first, DateOnly last, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<DateOnly, string>>(_layouts.Where(l => l.Key.Site == site && l.Key.Day >= first && l.Key.Day <= last).ToDictionary(l => l.Key.Day, l => l.Value));

    public Task<IReadOnlyList<RollupCursor>> CursorsAsync(string scope, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RollupCursor>>(_cursors.Values.Where(c => c.MachineId == scope || c.MachineId.StartsWith(scope + "/", StringComparison.Ordinal)).ToList());

    public Task<IReadOnlyList<RollupPiece>> PiecesAsync(IReadOnlyCollection<string> machineIds, TimeRange range, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RollupPiece>>(_pieces.Values.Where(p => machineIds.Contains(p.MachineId) && p.Range.Overlaps(range)).ToList());

    public Task<IReadOnlyList<RollupPiece>> StopPiecesAsync(string machineId, IReadOnlyCollection<Guid> stopIds, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RollupPiece>>(_pieces.Values.Where(p => p.MachineId == machineId && stopIds.Contains(p.StopId)).ToList());

    public Task<IReadOnlyList<RawCount>> RawCountsAsync(IReadOnlyCollection<string> machineIds, TimeRange range, CancellationToken cancellationToken = default)
    {
        var voided = _events.Where(e => e.Kind == MachineEventKind.Voided && e.RefersTo is not null).Select(e => e.RefersTo!.Value).ToHashSet();
        var mine = _events.Where(e => machineIds.Contains(e.MachineId) && range.Contains(e.Timestamp)).ToList();
        var counted = mine
            .Where(e => e.Kind == MachineEventKind.Counted && !voided.Contains(e.Id))
            .Select(e => new RawCount(
                e.MachineId, e.ReasonCode ?? "", e.PartNumber ?? "", e.TotalDelta, e.ScrapDelta, e.ScrapDelta > 0 ? 1 : 0,
                (e.IdealCycleTime?.Ticks ?? 0) * e.TotalDelta, (e.IdealCycleTime?.Ticks ?? 0) * (e.TotalDelta - e.ScrapDelta),
                e.IdealCycleTime is null ? e.TotalDelta : 0, e.IdealCycleTime is null ? e.TotalDelta - e.ScrapDelta : 0));
        var reasoned = mine
            .Where(e => e.Kind == MachineEventKind.ScrapReasoned && e.ScrapDelta > 0)
            .SelectMany(e => new[]
            {
                new RawCount(e.MachineId, e.ReasonCode ?? "", e.PartNumber ?? "", 0, e.ScrapDelta, 1, 0, 0, 0, 0),
                new RawCount(e.MachineId, "", e.PartNumber ?? "", 0, -e.ScrapDelta, 0, 0, 0, 0, 0),
            });
        return Task.FromResult<IReadOnlyList<RawCount>>(counted.Concat(reasoned)
            .GroupBy(c => (c.MachineId, c.Reason, c.Product))
            .Select(g => new RawCount(
                g.Key.MachineId, g.Key.Reason, g.Key.Product, g.Sum(c => c.Total), g.Sum(c => c.Scrap), g.Sum(c => c.ScrapEntries),
                g.Sum(c => c.IdealTicks), g.Sum(c => c.IdealGoodTicks), g.Sum(c => c.UnvaluedTotal), g.Sum(c => c.UnvaluedGood)))
            .ToList());
    }

    private IEnumerable<MachineEvent> Ordered(string machineId) =>
        _events.Where(e => e.MachineId == machineId).OrderBy(e => e.Timestamp).ThenBy(e => e.Sequence);

    private string ShiftName(string scope, SegmentKey segment) => _shiftNames.GetValueOrDefault((EquipmentPath.Parse(scope).Site, segment), "");
}
