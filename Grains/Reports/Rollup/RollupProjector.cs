using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Time;

namespace MesOrleans.Reports.Rollup;

/// <summary>
/// Follows each machine's event log and files it into rollups: pieces of its timeline (after re-codes and splits) and
/// cells of raw time per state and reason, and of parts, per calendar segment, for the machine, its line and its site.
/// Events are taken in their numbers' order from the machine's cursor on. The usual event costs no read: a count is
/// added to its cell, a state change ends the open stop, which the cursor carries. What reaches back in time — a
/// state change timestamped before the one in effect, a re-code or split of a stop that has ended, a void — takes back
/// what the affected stops or entries had filed and files them again from the log, so that rollups always equal what
/// the raw events say.
/// </summary>
internal sealed class RollupProjector
{
    /// <summary>A machine further behind than this is left to the background catch-up rather than the writer's transaction.</summary>
    public const int MaxEventsInline = 5_000;

    /// <summary>
    /// Projects every machine's events after its cursor, as far as the store has them: those just appended, and any
    /// the cursor missed (up to <paramref name="maxEvents"/> per machine; a machine further behind is left as it is).
    /// Returns the machines left behind.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ProjectAsync(
        IRollupSession session, PlantView plant, IReadOnlyDictionary<string, IReadOnlyList<MachineEvent>> appended, int maxEvents = MaxEventsInline)
    {
        var machines = appended.Keys.Order(StringComparer.Ordinal).ToList();
        var cursors = await session.CursorsAsync(machines);
        var filing = new Filing(session, plant);
        var behind = new List<string>();
        foreach (var machine in machines)
        {
            var cursor = cursors.GetValueOrDefault(machine) ?? RollupCursor.New(machine, RollupSettings.Of(plant, machine));
            var events = appended[machine].Where(e => e.Sequence > cursor.LastSequence).OrderBy(e => e.Sequence).ToList();
            if (events.Count == 0)
            {
                continue;
            }

            if (events[0].Sequence != cursor.LastSequence + 1)
            {
                // Events the cursor missed (a failed projection, a store older than rollups): read them, or leave them.
                events = [.. await session.EventsAfterAsync(machine, cursor.LastSequence, maxEvents + 1)];
                if (events.Count > maxEvents)
                {
                    behind.Add(machine);
                    continue;
                }
            }

            filing.Change.Cursors[machine] = await new MachineProjection(filing, cursor).ApplyAsync(events);
        }

        await filing.FlushAsync();
        return behind;
    }

    /// <summary>
    /// Projects up to <paramref name="maxEvents"/> of the machine's events after its cursor, from the store; true when
    /// there are more.
    /// </summary>
    public static async Task<bool> CatchUpAsync(IRollupSession session, PlantView plant, string machineId, int maxEvents)
    {
        var cursors = await session.CursorsAsync([machineId]);
        var cursor = cursors.GetValueOrDefault(machineId) ?? RollupCursor.New(machineId, RollupSettings.Of(plant, machineId));
        var events = await session.EventsAfterAsync(machineId, cursor.LastSequence, maxEvents);
        if (events.Count == 0)
        {
            return false;
        }

        var filing = new Filing(session, plant);
        filing.Change.Cursors[machineId] = await new MachineProjection(filing, cursor).ApplyAsync(events);
        await filing.FlushAsync();
        return events.Count == maxEvents;
    }

    /// <summary>The pieces of whole stops, with where each stop's time with one reason first fell in shift time.</summary>
    public static List<RollupPiece> PiecesOf(string machineId, IEnumerable<StateInterval> intervals, SiteLayout layout)
    {
        var all = intervals.ToList();
        var stops = all.GroupBy(i => i.StopId).ToDictionary(g => g.Key, g => new TimeRange(g.Min(i => i.Range.Start), g.Max(i => i.Range.End)));
        var countedAt = all
            .Where(i => i.State is not (MachineState.Running or MachineState.Planned))
            .GroupBy(i => (i.StopId, Reason: i.ReasonCode ?? ""))
            .ToDictionary(g => g.Key, g => FirstWork(g.Select(i => i.Range), layout));
        return all
            .Select(i => new RollupPiece(
                machineId, i.Range, i.State, i.ReasonCode ?? "", "", i.StopId, stops[i.StopId], countedAt.GetValueOrDefault((i.StopId, i.ReasonCode ?? ""))))
            .ToList();
    }

    /// <summary>The first instant of the ranges in shift time (work segments), or null.</summary>
    public static DateTimeOffset? FirstWork(IEnumerable<TimeRange> ranges, SiteLayout layout) =>
        ranges.OrderBy(r => r.Start)
            .SelectMany(layout.Segments)
            .FirstOrDefault(s => s.IsWork)?.Range.Start;

    /// <summary>Turns pieces and counts into cell amounts, on days filed under the layout the plant has now.</summary>
    internal sealed class Filing(IRollupSession session, PlantView plant)
    {
        private readonly Dictionary<(string Site, DateOnly Day), bool> _writable = [];

        public RollupChange Change { get; } = new();

        public IRollupSession Session => session;

        public PlantView Plant => plant;

        public async Task FileCountAsync(MachineEvent counted, int sign, RollupSettings settings)
        {
            var site = RollupScopes.SiteOf(counted.MachineId);
            var segment = plant.LayoutOf(site).SegmentAt(counted.Timestamp);
            if (!await WritableAsync(site, segment.Key.Day))
            {
                return;
            }

            // Parts are valued at the ideal cycle time recorded with them (the running product's); counts from before
            // the MES recorded it, at the machine's when filed.
            var amount = CountAmount.Of(counted.TotalDelta, counted.ScrapDelta, counted.IdealCycleTime, settings.IdealCycleTime);
            foreach (var scope in RollupScopes.Of(counted.MachineId))
            {
                Change.Add(new CountCellKey(scope, segment.Key, counted.ReasonCode ?? "", counted.PartNumber ?? ""), sign > 0 ? amount : -amount, site, segment.ShiftName);
            }
        }

        /// <summary>
        /// A reason given afterwards to scrap the machine counted itself moves those parts from "no reason" to the
        /// reason, where the reason was given; totals do not change.
        /// </summary>
        public async Task FileScrapReasonedAsync(MachineEvent reasoned)
        {
            var site = RollupScopes.SiteOf(reasoned.MachineId);
            var segment = plant.LayoutOf(site).SegmentAt(reasoned.Timestamp);
            if (!await WritableAsync(site, segment.Key.Day))
            {
                return;
            }

            var product = reasoned.PartNumber ?? "";
            foreach (var scope in RollupScopes.Of(reasoned.MachineId))
            {
                Change.Add(new CountCellKey(scope, segment.Key, reasoned.ReasonCode ?? "", product), new CountAmount(0, reasoned.ScrapDelta, 1, 0, 0), site, segment.ShiftName);
                Change.Add(new CountCellKey(scope, segment.Key, "", product), new CountAmount(0, -reasoned.ScrapDelta, 0, 0, 0), site, segment.ShiftName);
            }
        }

        public async Task FilePiecesAsync(IEnumerable<RollupPiece> pieces, int sign, RollupSettings settings)
        {
            foreach (var piece in pieces)
            {
                var site = RollupScopes.SiteOf(piece.MachineId);
                var layout = plant.LayoutOf(site);
                var scopes = RollupScopes.Of(piece.MachineId);
                var minor = piece.IsMinor(settings.MicroStopThreshold);
                foreach (var segment in layout.Segments(piece.Range))
                {
                    var counted = piece.CountedAt is { } at && segment.Range.Contains(at) ? 1 : 0;
                    if (!await WritableAsync(site, segment.Key.Day))
                    {
                        continue;
                    }

                    var ticks = segment.Range.Duration.Ticks;
                    var amount = new TimeAmount(sign * ticks, sign * counted, sign * settings.Cycles(ticks));
                    foreach (var scope in scopes)
                    {
                        Change.Add(new TimeCellKey(scope, segment.Key, piece.State, piece.Reason, minor, piece.Product), amount, site, segment.ShiftName);
                    }
                }
            }
        }

        public async Task FlushAsync()
        {
            if (!Change.IsEmpty)
            {
                await session.WriteAsync(Change);
                Change.Clear();
            }
        }

        // A day filed under another layout is left alone: it is read from pieces and counts until it is filed again.
        private async Task<bool> WritableAsync(string site, DateOnly day)
        {
            if (_writable.TryGetValue((site, day), out var writable))
            {
                return writable;
            }

            var current = plant.LayoutOf(site).Fingerprint(day);
            var stored = await session.LayoutsAsync(site, [day]);
            if (stored.TryGetValue(day, out var filed))
            {
                writable = filed == current;
            }
            else
            {
                Change.NewDays[(site, day)] = current;
                writable = true;
            }

            _writable[(site, day)] = writable;
            return writable;
        }
    }

    /// <summary>One machine's events applied from its cursor on.</summary>
    private sealed class MachineProjection(Filing filing, RollupCursor cursor)
    {
        private readonly SiteLayout _layout = filing.Plant.LayoutOf(EquipmentPath.Parse(cursor.MachineId).Site);
        private RollupCursor _cursor = cursor;

        private string Machine => _cursor.MachineId;

        private IRollupSession Session => filing.Session;

        public async Task<RollupCursor> ApplyAsync(IReadOnlyList<MachineEvent> events)
        {
            foreach (var e in events)
            {
                await ApplyAsync(e);
                _cursor = _cursor with { LastSequence = e.Sequence };
            }

            return _cursor;
        }

        private async Task ApplyAsync(MachineEvent e)
        {
            switch (e.Kind)
            {
                case MachineEventKind.Counted when e.TotalDelta != 0 || e.ScrapDelta != 0:
                    await filing.FileCountAsync(e, +1, _cursor.Settings);
                    break;

                case MachineEventKind.ScrapReasoned when e.ScrapDelta > 0:
                    await filing.FileScrapReasonedAsync(e);
                    break;

                case MachineEventKind.Voided when e.RefersTo is { } target:
                    // A void takes an entry back once, however often it is voided; voids of anything else change no figure.
                    if (await Session.EventAsync(Machine, target) is { Kind: MachineEventKind.Counted } entry
                        && !await Session.VoidedBeforeAsync(Machine, target, e.Sequence))
                    {
                        await filing.FileCountAsync(entry, -1, _cursor.Settings);
                    }

                    break;

                case MachineEventKind.StateChanged when e.State is not null:
                    await ChangeStateAsync(e);
                    break;

                case MachineEventKind.StopRecoded or MachineEventKind.StopSplit when e.RefersTo is { } stop:
                    if (stop == _cursor.Current?.Id)
                    {
                        _cursor = _cursor with { OpenStop = [.. _cursor.OpenStop, e] };
                    }
                    else
                    {
                        await filing.FlushAsync();
                        if (await Session.PieceOfStopAsync(Machine, stop) is { } piece)
                        {
                            await RefileAsync(piece.Stop);
                        }
                    }

                    break;
            }
        }

        private async Task ChangeStateAsync(MachineEvent change)
        {
            if (_cursor.Current is not { } current)
            {
                _cursor = _cursor with { MonitoredSince = change.Timestamp, OpenStop = [change] };
                return;
            }

            if (change.Timestamp >= current.Timestamp)
            {
                // The open stop ends: its pieces are known for good.
                var intervals = StopTimeline.Build([.. _cursor.OpenStop, change], change.Timestamp, static _ => false);
                var pieces = PiecesOf(Machine, intervals, _layout);
                await filing.FilePiecesAsync(pieces, +1, _cursor.Settings);
                filing.Change.AddedPieces.AddRange(pieces);
                _cursor = _cursor with { OpenStop = [change] };
                return;
            }

            // Reported late: it cuts the stop it falls in, or comes before everything known.
            if (_cursor.MonitoredSince is { } since && change.Timestamp < since)
            {
                _cursor = _cursor with { MonitoredSince = change.Timestamp };
                await RefileAsync(new TimeRange(change.Timestamp, since));
                return;
            }

            await filing.FlushAsync();
            var cut = await Session.PieceAtAsync(Machine, change.Timestamp);
            await RefileAsync(cut?.Stop ?? new TimeRange(_cursor.MonitoredSince ?? change.Timestamp, current.Timestamp));
        }

        // Takes back the pieces of whole stops within the range and files them again from the log as it is now.
        private async Task RefileAsync(TimeRange stops)
        {
            await filing.FlushAsync();
            var filed = await Session.PiecesAsync(Machine, stops);
            await filing.FilePiecesAsync(filed, -1, _cursor.Settings);
            filing.Change.DroppedPieces.Add((Machine, stops));

            var timeline = await Session.TimelineAsync(Machine, stops.Start, stops.End);
            var intervals = StopTimeline.Build(timeline, stops.End, static _ => false).Where(i => i.Range.Start >= stops.Start);
            var pieces = PiecesOf(Machine, intervals, _layout);
            await filing.FilePiecesAsync(pieces, +1, _cursor.Settings);
            filing.Change.AddedPieces.AddRange(pieces);
            await filing.FlushAsync();
        }
    }
}
