using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Time;

namespace MesOrleans.Reports.Rollup;

/// <summary>What a report asks for: a site, line or machine over [From, To), optionally one shift (by name) or product.</summary>
public sealed record ReportRequest(EquipmentPath Scope, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Only the occurrences of this shift (its name).</summary>
    public string? Shift { get; init; }

    /// <summary>Only time and parts of this product.</summary>
    public string? Product { get; init; }

    /// <summary>Cells per machine rather than added up over the scope.</summary>
    public bool ByMachine { get; init; }
}

/// <summary>
/// One cell of a report: time (a state and reason) or parts in a calendar segment, per machine or added up over the
/// scope (<paramref name="Machine"/> null), and planned production time in which a machine was not yet monitored.
/// </summary>
public readonly record struct ReportCell(
    string? Machine, SegmentKey Segment, string ShiftName, MachineState? State, string Reason, bool Minor, string Product,
    TimeAmount Time, CountAmount Parts, long UnmonitoredTicks)
{
    public bool IsTime => State is not null;
}

/// <summary>
/// A scope's cells over a window, read from rollups so that a year of a site costs a few queries: the cells filed for
/// segments that lie wholly in the window, and for the rest — the window's edges, the stop still open, days filed under
/// a calendar that has changed since, machines filed with settings that have changed — what the pieces and the raw counts
/// say, laid over the calendar as it is now. Time ends now; parts count over the whole window. Stops are counted where
/// their time with one reason first falls in shift time, and once per window for a stop that runs into it from before.
/// </summary>
public sealed record ReportCells(ReportRequest Request, TimeRange TimeWindow, IReadOnlyList<string> Machines, IReadOnlyList<ReportCell> Cells, DateTimeOffset? DataSince)
{
    public static async Task<ReportCells> ReadAsync(IRollupReader reader, PlantView plant, ReportRequest request, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var read = new Reading(reader, plant, request, now, cancellationToken);
        return await read.RunAsync();
    }

    private sealed class Reading(IRollupReader reader, PlantView plant, ReportRequest request, DateTimeOffset now, CancellationToken ct)
    {
        private readonly SiteLayout _layout = plant.LayoutOf(request.Scope.Site);
        private readonly List<ReportCell> _cells = [];
        private readonly TimeRange _counts = new(request.From, request.To);
        private readonly TimeRange _time = new(request.From, request.To < now ? request.To : now > request.From ? now : request.From);
        private readonly HashSet<SegmentKey> _timeFiled = [];
        private readonly HashSet<SegmentKey> _countsFiled = [];
        private Dictionary<string, RollupSettings> _settings = [];
        private Dictionary<string, RollupCursor> _cursors = [];
        private HashSet<string> _refiled = [];
        private List<CalendarSegment> _segments = [];

        public async Task<ReportCells> RunAsync()
        {
            var scope = request.Scope;
            var machines = (scope.IsMachine ? plant.Machine(scope) is null ? [] : [scope] : plant.MachinesOf(scope))
                .Select(m => m.ToString()).Order(StringComparer.Ordinal).ToList();
            _settings = machines.ToDictionary(m => m, m => RollupSettings.Of(plant, m));
            _cursors = (await reader.CursorsAsync(scope.ToString(), ct)).ToDictionary(c => c.MachineId);

            // Filed with settings the machine no longer has (a new ideal cycle time): read from its pieces until re-filed.
            _refiled = machines.Where(m => _cursors.TryGetValue(m, out var c) && c.Settings != _settings[m]).ToHashSet();
            await SortSegmentsAsync();

            var live = machines.Where(m => !_refiled.Contains(m)).ToList();
            var gone = _cursors.Keys.Where(m => !_settings.ContainsKey(m)).Concat(_refiled).Order(StringComparer.Ordinal).ToList();
            await ReadFiledAsync(request.ByMachine ? live : scope.IsMachine ? live : [scope.ToString()], +1);
            if (!request.ByMachine && !scope.IsMachine)
            {
                await ReadFiledAsync(gone, -1);
            }

            await ReadRefiledCountsAsync();
            var pieces = await ReadPiecesAsync(live);
            await ReadRawCountsAsync(machines);
            var open = OpenPieces(machines);
            AddTime(pieces, open);
            CountStops(pieces, open);
            AddUnmonitored(machines);

            var dataSince = machines
                .Select(m => _cursors.GetValueOrDefault(m)?.MonitoredSince)
                .Where(s => s is { } at && at > _time.Start && at < _time.End)
                .Max();
            return new ReportCells(request, _time, machines, _cells, dataSince);
        }

        private bool Matches(CalendarSegment segment) =>
            request.Shift is null || (segment.Key.ShiftStart != 0 && segment.ShiftName == request.Shift);

        private bool MatchesProduct(string product) => request.Product is null || request.Product == product;

        private string? Cell(string machine) => request.ByMachine ? machine : null;

        // Segments wholly in the window, on days filed under today's layout, are read from cells; the rest from pieces.
        private async Task SortSegmentsAsync()
        {
            var first = _layout.DayOf(_counts.Start);
            var last = _layout.DayOf(_counts.End.AddTicks(-1));
            var filed = await reader.LayoutsAsync(request.Scope.Site, first, last, ct);
            _segments = _layout.Segments(new TimeRange(_layout.Calendar.Day(first).Start, _layout.Calendar.Day(last).End)).Where(Matches).ToList();
            foreach (var key in _segments.GroupBy(s => s.Key))
            {
                if (filed.TryGetValue(key.Key.Day, out var fingerprint) && fingerprint != _layout.Fingerprint(key.Key.Day))
                {
                    continue;
                }

                if (key.All(s => _time.Contains(s.Range.Start) && s.Range.End <= _time.End))
                {
                    _timeFiled.Add(key.Key);
                }

                if (key.All(s => _counts.Contains(s.Range.Start) && s.Range.End <= _counts.End))
                {
                    _countsFiled.Add(key.Key);
                }
            }
        }

        private async Task ReadFiledAsync(IReadOnlyCollection<string> scopes, int sign)
        {
            if (scopes.Count == 0 || (_timeFiled.Count == 0 && _countsFiled.Count == 0))
            {
                return;
            }

            var days = _timeFiled.Concat(_countsFiled).Select(k => k.Day).ToList();
            var (first, last) = (days.Min(), days.Max());
            foreach (var (key, amount, shift) in await reader.TimeAsync(scopes, first, last, request.Shift, request.Product, ct))
            {
                if (_timeFiled.Contains(key.Segment))
                {
                    _cells.Add(new ReportCell(sign > 0 ? Cell(key.Scope) : null, key.Segment, shift, key.State, key.Reason, key.Minor, key.Product, sign > 0 ? amount : -amount, default, 0));
                }
            }

            foreach (var (key, amount, shift) in await reader.CountsAsync(scopes, first, last, request.Shift, request.Product, ct))
            {
                if (_countsFiled.Contains(key.Segment))
                {
                    _cells.Add(new ReportCell(sign > 0 ? Cell(key.Scope) : null, key.Segment, shift, null, key.Reason, false, key.Product, default, sign > 0 ? amount : -amount, 0));
                }
            }
        }

        // Parts of machines filed with settings they no longer have: parts with a cycle time of their own keep it; the
        // others, valued at the machine's when filed, are valued at the one it has now, as the raw events are.
        private async Task ReadRefiledCountsAsync()
        {
            if (_refiled.Count == 0 || _countsFiled.Count == 0)
            {
                return;
            }

            var days = _countsFiled.Select(k => k.Day).ToList();
            foreach (var (key, amount, shift) in await reader.CountsAsync(_refiled, days.Min(), days.Max(), request.Shift, request.Product, ct))
            {
                if (_countsFiled.Contains(key.Segment))
                {
                    var valued = amount.Revalued(_cursors[key.Scope].Settings.IdealCycleTime, _settings[key.Scope].IdealCycleTime);
                    _cells.Add(new ReportCell(Cell(key.Scope), key.Segment, shift, null, key.Reason, false, key.Product, default, valued, 0));
                }
            }
        }

        // The pieces under segments not read from cells (all of them for machines being re-filed), and those in effect
        // when the window starts, each with every other piece of its stop.
        private async Task<List<RollupPiece>> ReadPiecesAsync(List<string> live)
        {
            var found = new Dictionary<(string, DateTimeOffset), RollupPiece>();
            void Take(IEnumerable<RollupPiece> pieces)
            {
                foreach (var p in pieces)
                {
                    found[(p.MachineId, p.Range.Start)] = p;
                }
            }

            if (_time.IsEmpty)
            {
                return [];
            }

            foreach (var block in TimeRanges.Normalize(_segments.Where(s => !_timeFiled.Contains(s.Key)).Select(s => s.Range.Intersect(_time)).OfType<TimeRange>()))
            {
                Take(await reader.PiecesAsync(live, block, ct));
            }

            Take(await reader.PiecesAsync(live, new TimeRange(_time.Start, _time.Start.AddTicks(1)), ct));
            if (_refiled.Count > 0)
            {
                Take(await reader.PiecesAsync(_refiled, _time, ct));
            }

            foreach (var machine in found.Values.GroupBy(p => p.MachineId).ToList())
            {
                // A stop is complete when its pieces cover it; a stop reaching past what was read is read whole.
                var partial = machine.GroupBy(p => p.StopId)
                    .Where(s => s.Min(p => p.Range.Start) > s.First().Stop.Start || s.Max(p => p.Range.End) < s.First().Stop.End)
                    .Select(s => s.Key)
                    .ToList();
                if (partial.Count > 0)
                {
                    Take(await reader.StopPiecesAsync(machine.Key, partial, ct));
                }
            }

            return [.. found.Values];
        }

        // The stops still open, as the cursor carries them, up to now.
        private List<RollupPiece> OpenPieces(IEnumerable<string> machines)
        {
            var pieces = new List<RollupPiece>();
            foreach (var machine in machines)
            {
                if (_cursors.GetValueOrDefault(machine) is { Current: { } current } cursor)
                {
                    var until = now > current.Timestamp ? now : current.Timestamp;
                    pieces.AddRange(RollupProjector.PiecesOf(machine, StopTimeline.Build(cursor.OpenStop, until, static _ => false), _layout));
                }
            }

            return pieces;
        }

        // Time of filed pieces under segments not read from cells (everywhere for machines being re-filed), and of open stops.
        private void AddTime(IEnumerable<RollupPiece> filed, IEnumerable<RollupPiece> open)
        {
            var unfiled = TimeRanges.Normalize(_segments.Where(s => !_timeFiled.Contains(s.Key)).Select(s => s.Range.Intersect(_time)).OfType<TimeRange>());
            foreach (var (piece, everywhere) in filed.Select(p => (p, _refiled.Contains(p.MachineId))).Concat(open.Select(p => (p, true))))
            {
                if (!MatchesProduct(piece.Product) || piece.Range.Intersect(_time) is not { } inWindow)
                {
                    continue;
                }

                var settings = _settings[piece.MachineId];
                var minor = piece.IsMinor(settings.MicroStopThreshold);
                foreach (var segment in _layout.Segments(inWindow).Where(Matches))
                {
                    foreach (var span in everywhere ? [segment.Range] : TimeRanges.Intersect([segment.Range], unfiled))
                    {
                        var ticks = span.Duration.Ticks;
                        _cells.Add(new ReportCell(
                            Cell(piece.MachineId), segment.Key, segment.ShiftName, piece.State, piece.Reason, minor, piece.Product,
                            new TimeAmount(ticks, 0, settings.Cycles(ticks)), default, 0));
                    }
                }
            }
        }

        private async Task ReadRawCountsAsync(IReadOnlyCollection<string> machines)
        {
            foreach (var segment in _segments.Where(s => !_countsFiled.Contains(s.Key)))
            {
                if (segment.Range.Intersect(_counts) is not { } span)
                {
                    continue;
                }

                foreach (var raw in await reader.RawCountsAsync(machines, span, ct))
                {
                    if (MatchesProduct(raw.Product))
                    {
                        var amount = raw.ValuedAt(_settings[raw.MachineId].IdealCycleTime);
                        _cells.Add(new ReportCell(Cell(raw.MachineId), segment.Key, segment.ShiftName, null, raw.Reason, false, raw.Product, default, amount, 0));
                    }
                }
            }
        }

        // Cells count a stop (with one reason) where its time first fell in shift time when it was filed. For stops read
        // as pieces — in effect when the window starts, under segments not read from cells, open, or re-filed — take
        // back what cells counted and count them as the window sees them: once, where their lost time in it begins.
        private void CountStops(IReadOnlyList<RollupPiece> filed, IReadOnlyList<RollupPiece> open)
        {
            var groups = filed.Select(p => (Piece: p, Filed: true))
                .Concat(open.Select(p => (Piece: p, Filed: false)))
                .Where(x => x.Piece.IsStop && MatchesProduct(x.Piece.Product))
                .GroupBy(x => (x.Piece.MachineId, x.Piece.StopId, x.Piece.Reason));
            foreach (var group in groups)
            {
                var pieces = group.Select(x => x.Piece).OrderBy(p => p.Range.Start).ToList();
                var first = pieces[0];
                var settings = _settings[first.MachineId];
                var minor = first.IsMinor(settings.MicroStopThreshold);
                if (group.All(x => x.Filed) && !_refiled.Contains(first.MachineId) && first.CountedAt is { } at
                    && _layout.SegmentAt(at) is var counted && _timeFiled.Contains(counted.Key) && Matches(counted))
                {
                    _cells.Add(new ReportCell(Cell(first.MachineId), counted.Key, counted.ShiftName, first.State, first.Reason, minor, first.Product, new TimeAmount(0, -1, 0), default, 0));
                }

                var lost = pieces.Select(p => p.Range.Intersect(_time)).OfType<TimeRange>()
                    .SelectMany(_layout.Segments)
                    .FirstOrDefault(s => s.IsWork);
                if (lost is not null && Matches(lost))
                {
                    _cells.Add(new ReportCell(Cell(first.MachineId), lost.Key, lost.ShiftName, first.State, first.Reason, minor, first.Product, new TimeAmount(0, 1, 0), default, 0));
                }
            }
        }

        private void AddUnmonitored(IEnumerable<string> machines)
        {
            if (request.Product is not null)
            {
                return;
            }

            foreach (var machine in machines)
            {
                var since = _cursors.GetValueOrDefault(machine)?.MonitoredSince;
                var end = since is { } s && s < _time.End ? s : _time.End;
                if (end <= _time.Start)
                {
                    continue;
                }

                foreach (var segment in _layout.Segments(new TimeRange(_time.Start, end)).Where(s => s.IsWork && Matches(s)))
                {
                    _cells.Add(new ReportCell(Cell(machine), segment.Key, segment.ShiftName, null, "", false, "", default, default, segment.Range.Duration.Ticks));
                }
            }
        }
    }
}
