using System.Diagnostics.CodeAnalysis;
using System.Security;
using MesOrleans.Errors;
using MesOrleans.Shifts;

namespace MesOrleans.Plant;

/// <summary>
/// Finds every problem in a plant model at once, each at the JSON path of the offending value in the document, so
/// that an admin fixes a hand-edited file in one pass. The model may come straight from the serializer, which leaves
/// nulls where the records promise none: every reference is checked before use.
/// </summary>
internal sealed class PlantModelValidator
{
    private const double MaxSeconds = 86_400;
    private const string IdRule = "use 1 to 64 characters: letters a-z or A-Z, digits, '-' and '_'";

    private readonly List<ValidationProblem> _problems = [];

    private PlantModelValidator()
    {
    }

    /// <summary>Every problem in <paramref name="model"/>; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(PlantModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var validator = new PlantModelValidator();
        validator.CheckSites(model.Sites);
        validator.CheckReasons(model.DowntimeReasons, "$.downtimeReasons", "downtime", r => (r.Code, r.Name, r.Category));
        validator.CheckReasons(model.ScrapReasons, "$.scrapReasons", "scrap", r => (r.Code, r.Name, r.Category));
        validator.CheckScrapReasonScopes(model);
        validator.CheckProducts(model);
        return validator._problems;
    }

    private void CheckSites(IReadOnlyList<SiteModel>? sites)
    {
        const string path = "$.sites";
        if (!IsPresent(sites, path, "a list of sites"))
        {
            return;
        }

        if (sites.Count == 0)
        {
            Add(path, "must list at least one site");
        }

        var ids = new UniqueKeys(this);
        for (var i = 0; i < sites.Count; i++)
        {
            var sitePath = $"{path}[{i}]";
            if (sites[i] is not { } site)
            {
                Add(sitePath, "must be a site, not null");
                continue;
            }

            if (CheckId(site.Id, $"{sitePath}.id"))
            {
                ids.Check(site.Id, $"{sitePath}.id", "site id", string.Empty);
            }

            CheckText(site.Name, $"{sitePath}.name");
            CheckTimeZone(site.TimeZone, $"{sitePath}.timeZone");
            var shifts = CheckShifts(site.Shifts, $"{sitePath}.shifts");
            var holidays = CheckHolidays(site.Holidays, $"{sitePath}.holidays");
            CheckCalendarExceptions(site.CalendarExceptions, $"{sitePath}.calendarExceptions", shifts, holidays);
            CheckLines(site.Lines, $"{sitePath}.lines", Label(site.Id, sitePath));
        }
    }

    private void CheckTimeZone(string? id, string path)
    {
        if (string.IsNullOrEmpty(id))
        {
            Add(path, "is required: an IANA time zone such as 'Europe/Berlin'");
            return;
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        // On Linux an id naming a folder of the time zone database ('Europe') raises SecurityException.
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException or SecurityException)
        {
            Add(path, $"'{id}' is not a known time zone: use an IANA id such as 'Europe/Berlin'");
            return;
        }

        // Windows ids and other spellings resolve on some machines only; the history store and browsers need the IANA id.
        if (!zone.HasIanaId)
        {
            var hint = TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? $" '{iana}'" : " such as 'Europe/Berlin'";
            Add(path, $"'{id}' is not an IANA time zone id: use{hint}");
        }
        else if (!string.Equals(zone.Id, id, StringComparison.Ordinal))
        {
            Add(path, $"'{id}' must be spelt as the time zone database does: '{zone.Id}'");
        }
    }

    // The shifts that are well-formed enough to compare with calendar exceptions.
    private List<PlannedShift> CheckShifts(IReadOnlyList<ShiftModel>? shifts, string path)
    {
        var earlier = new List<PlannedShift>();
        if (!IsPresent(shifts, path, "a list of shifts (it may be empty)"))
        {
            return earlier;
        }

        var names = new UniqueKeys(this);
        for (var i = 0; i < shifts.Count; i++)
        {
            var shiftPath = $"{path}[{i}]";
            if (shifts[i] is not { } shift)
            {
                Add(shiftPath, "must be a shift, not null");
                continue;
            }

            if (CheckText(shift.Name, $"{shiftPath}.name"))
            {
                names.Check(shift.Name, $"{shiftPath}.name", "shift name", string.Empty);
            }

            var start = CheckTime(shift.Start, $"{shiftPath}.start");
            var end = CheckTime(shift.End, $"{shiftPath}.end");

            // Equal start and end are a 24-hour shift, so any two well-formed times make a shift.
            TimeOfDayRange? range = start is { } s && end is { } e ? new TimeOfDayRange(s, e) : null;
            CheckBreaks(shift.Breaks, $"{shiftPath}.breaks", range);
            var days = CheckDays(shift.Days, $"{shiftPath}.days", out var daysValid);
            if (range is not { } shiftRange || !daysValid)
            {
                continue;
            }

            var planned = new PlannedShift(shiftRange, days, Label(shift.Name, shiftPath));
            foreach (var other in earlier.Where(other => other.OverlapsInAnyWeek(planned)))
            {
                Add(shiftPath, $"shift {shiftRange}{DaysText(days)} overlaps shift {other.Label} ({other.Range}{DaysText(other.Days)}); shifts of a site must not overlap");
            }

            earlier.Add(planned);
        }

        return earlier;
    }

    // Null days (the field left out) mean every day; a list must name each day once.
    private HashSet<DayOfWeek>? CheckDays(IReadOnlyList<string>? days, string path, out bool valid)
    {
        valid = true;
        if (days is null)
        {
            return null;
        }

        if (days.Count == 0)
        {
            Add(path, "must name at least one day; leave 'days' out for a shift that runs every day");
            valid = false;
            return null;
        }

        var set = new HashSet<DayOfWeek>();
        for (var i = 0; i < days.Count; i++)
        {
            if (!CalendarText.TryParseWeekday(days[i], out var day))
            {
                Add($"{path}[{i}]", $"'{days[i]}' is not a day: use {string.Join(", ", CalendarText.Weekdays)}");
                valid = false;
            }
            else if (!set.Add(day))
            {
                Add($"{path}[{i}]", $"'{days[i]}' is listed more than once");
            }
        }

        return set;
    }

    private static string DaysText(IReadOnlySet<DayOfWeek>? days) =>
        days is null ? string.Empty : $" on {string.Join(", ", CalendarText.Weekdays.Where(w => days.Contains(CalendarText.ParseWeekday(w))))}";

    private HashSet<DateOnly> CheckHolidays(IReadOnlyList<string>? holidays, string path)
    {
        var dates = new HashSet<DateOnly>();
        for (var i = 0; i < (holidays?.Count ?? 0); i++)
        {
            var holiday = holidays![i];
            if (!CalendarText.TryParseDate(holiday, out var date))
            {
                Add($"{path}[{i}]", $"'{holiday}' is not a date such as 2026-12-25 (yyyy-MM-dd)");
            }
            else if (!dates.Add(date))
            {
                Add($"{path}[{i}]", $"{holiday} is listed more than once");
            }
        }

        return dates;
    }

    private void CheckCalendarExceptions(
        IReadOnlyList<CalendarExceptionModel>? exceptions, string path, IReadOnlyList<PlannedShift> shifts, IReadOnlySet<DateOnly> holidays)
    {
        var extraShifts = new List<(DateOnly Day, PlannedShift Shift)>();
        for (var i = 0; i < (exceptions?.Count ?? 0); i++)
        {
            var exceptionPath = $"{path}[{i}]";
            if (exceptions![i] is not { } exception)
            {
                Add(exceptionPath, "must be a calendar exception, not null");
                continue;
            }

            var isShift = exception.Kind == CalendarExceptionModel.ShiftKind;
            if (!isShift && exception.Kind != CalendarExceptionModel.PlannedStopKind)
            {
                Add($"{exceptionPath}.kind", exception.Kind is null
                    ? "is required: 'shift' (an extra shift) or 'plannedStop' (planned time without production)"
                    : $"'{exception.Kind}' is not a kind of calendar exception: use 'shift' or 'plannedStop'");
            }

            DateOnly? date = null;
            if (exception.Date is null)
            {
                Add($"{exceptionPath}.date", "is required: the local date it applies to, such as 2026-11-28");
            }
            else if (CalendarText.TryParseDate(exception.Date, out var parsed))
            {
                date = parsed;
            }
            else
            {
                Add($"{exceptionPath}.date", $"'{exception.Date}' is not a date such as 2026-11-28 (yyyy-MM-dd)");
            }

            CheckText(exception.Name, $"{exceptionPath}.name");
            var start = CheckTime(exception.Start, $"{exceptionPath}.start");
            var end = CheckTime(exception.End, $"{exceptionPath}.end");
            TimeOfDayRange? range = start is { } s && end is { } e ? new TimeOfDayRange(s, e) : null;
            if (!isShift)
            {
                if (exception.Breaks is { Count: > 0 })
                {
                    Add($"{exceptionPath}.breaks", "only an extra shift has breaks; a planned stop is planned time as a whole");
                }

                continue;
            }

            CheckBreaks(exception.Breaks ?? [], $"{exceptionPath}.breaks", range);
            if (range is not { } shiftRange || date is not { } day)
            {
                continue;
            }

            var extra = new PlannedShift(shiftRange, Days: null, Label(exception.Name, exceptionPath));
            CheckExtraShiftOverlaps(exceptionPath, day, extra, shifts, holidays, extraShifts);
            extraShifts.Add((day, extra));
        }
    }

    // An extra shift must not share time with a shift that runs on its day or the days either side (night shifts
    // reach over midnight), nor with another extra shift.
    private void CheckExtraShiftOverlaps(
        string path, DateOnly day, PlannedShift extra, IReadOnlyList<PlannedShift> shifts, IReadOnlySet<DateOnly> holidays,
        IReadOnlyList<(DateOnly Day, PlannedShift Shift)> earlierExtras)
    {
        foreach (var other in shifts)
        {
            for (var otherDay = day.AddDays(-1); otherDay <= day.AddDays(1); otherDay = otherDay.AddDays(1))
            {
                if (other.RunsOn(otherDay) && !holidays.Contains(otherDay) && extra.OverlapsOn(day, other, otherDay))
                {
                    Add(path, $"the extra shift {extra.Range} on {day:yyyy-MM-dd} overlaps shift {other.Label} ({other.Range}) of {otherDay:yyyy-MM-dd}; shifts of a site must not overlap");
                }
            }
        }

        foreach (var (otherDay, other) in earlierExtras.Where(x => extra.OverlapsOn(day, x.Shift, x.Day)))
        {
            Add(path, $"the extra shift {extra.Range} on {day:yyyy-MM-dd} overlaps the extra shift {other.Label} ({other.Range}) of {otherDay:yyyy-MM-dd}");
        }
    }

    private void CheckBreaks(IReadOnlyList<BreakModel>? breaks, string path, TimeOfDayRange? shift)
    {
        if (!IsPresent(breaks, path, "a list of breaks (it may be empty)"))
        {
            return;
        }

        var earlier = new List<TimeOfDayRange>();
        for (var i = 0; i < breaks.Count; i++)
        {
            var breakPath = $"{path}[{i}]";
            if (breaks[i] is not { } pause)
            {
                Add(breakPath, "must be a break, not null");
                continue;
            }

            var start = CheckTime(pause.Start, $"{breakPath}.start");
            var end = CheckTime(pause.End, $"{breakPath}.end");
            if (start is not { } s || end is not { } e)
            {
                continue;
            }

            if (s == e)
            {
                Add($"{breakPath}.end", "must differ from the break's start");
                continue;
            }

            var range = new TimeOfDayRange(s, e);
            if (shift is not { } shiftRange)
            {
                continue;
            }

            if (!shiftRange.Contains(range))
            {
                Add(breakPath, $"break {range} lies outside its shift ({shiftRange})");
                continue;
            }

            foreach (var other in earlier.Where(other => other.Overlaps(range)))
            {
                Add(breakPath, $"break {range} overlaps break {other} of the same shift");
            }

            earlier.Add(range);
        }
    }

    private void CheckLines(IReadOnlyList<LineModel>? lines, string path, string site)
    {
        if (!IsPresent(lines, path, "a list of lines (it may be empty)"))
        {
            return;
        }

        var ids = new UniqueKeys(this);
        for (var i = 0; i < lines.Count; i++)
        {
            var linePath = $"{path}[{i}]";
            if (lines[i] is not { } line)
            {
                Add(linePath, "must be a line, not null");
                continue;
            }

            if (CheckId(line.Id, $"{linePath}.id"))
            {
                ids.Check(line.Id, $"{linePath}.id", "line id", $" in site {site}");
            }

            CheckText(line.Name, $"{linePath}.name");
            CheckMachines(line.Machines, $"{linePath}.machines", Label(line.Id, linePath));
            if (line.CountingMachineId is { } counting && line.Machines is not null
                && !line.Machines.Any(m => string.Equals(m?.Id, counting, StringComparison.Ordinal)))
            {
                Add($"{linePath}.countingMachineId", $"'{counting}' is not a machine of line {Label(line.Id, linePath)}; leave it out to count at the last machine");
            }
        }
    }

    private void CheckMachines(IReadOnlyList<MachineModel>? machines, string path, string line)
    {
        if (!IsPresent(machines, path, "a list of machines (it may be empty)"))
        {
            return;
        }

        var ids = new UniqueKeys(this);
        for (var i = 0; i < machines.Count; i++)
        {
            var machinePath = $"{path}[{i}]";
            if (machines[i] is not { } machine)
            {
                Add(machinePath, "must be a machine, not null");
                continue;
            }

            if (CheckId(machine.Id, $"{machinePath}.id"))
            {
                ids.Check(machine.Id, $"{machinePath}.id", "machine id", $" in line {line}");
            }

            CheckText(machine.Name, $"{machinePath}.name");
            CheckIdealCycleTime(machine.IdealCycleTimeSeconds, $"{machinePath}.idealCycleTimeSeconds");
            if (machine.MicroStopThresholdSeconds is { } threshold)
            {
                CheckMicroStopThreshold(threshold, $"{machinePath}.microStopThresholdSeconds");
            }

            if (machine.OfflineAfterSeconds is { } offlineAfter)
            {
                CheckRange(offlineAfter, 10, MaxSeconds, $"{machinePath}.offlineAfterSeconds", "seconds");
            }

            if (machine.NoCountStopCycles is { } cycles)
            {
                CheckRange(cycles, 1, 10_000, $"{machinePath}.noCountStopCycles", "ideal cycles");
            }

            if (machine.Category is not null)
            {
                CheckText(machine.Category, $"{machinePath}.category");
            }
        }
    }

    private void CheckRange(double value, double min, double max, string path, string unit)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            Add(path, $"must be between {min} and {max} {unit}");
        }
    }

    private void CheckIdealCycleTime(double seconds, string path)
    {
        if (!double.IsFinite(seconds))
        {
            Add(path, "must be a finite number of seconds");
        }
        else if (seconds <= 0)
        {
            Add(path, "must be greater than 0 seconds");
        }
        else if (seconds > MaxSeconds)
        {
            Add(path, "must be at most 86400 seconds (one day)");
        }
    }

    private void CheckMicroStopThreshold(double seconds, string path)
    {
        if (!double.IsFinite(seconds))
        {
            Add(path, "must be a finite number of seconds");
        }
        else if (seconds < 0)
        {
            Add(path, "must be 0 seconds or more");
        }
        else if (seconds > MaxSeconds)
        {
            Add(path, "must be at most 86400 seconds (one day)");
        }
    }

    private void CheckReasons<TReason>(
        IReadOnlyList<TReason>? reasons, string path, string kind, Func<TReason, (string? Code, string? Name, string? Category)> fields)
    {
        if (!IsPresent(reasons, path, $"a list of {kind} reasons (it may be empty)"))
        {
            return;
        }

        var codes = new UniqueKeys(this);
        for (var i = 0; i < reasons.Count; i++)
        {
            var reasonPath = $"{path}[{i}]";
            if (reasons[i] is not { } reason)
            {
                Add(reasonPath, $"must be a {kind} reason, not null");
                continue;
            }

            var (code, name, category) = fields(reason);
            if (CheckId(code, $"{reasonPath}.code", "code"))
            {
                codes.Check(code, $"{reasonPath}.code", $"{kind} reason code", string.Empty);
            }

            CheckText(name, $"{reasonPath}.name");
            CheckText(category, $"{reasonPath}.category");
        }
    }

    // Where a scrap reason applies must name lines and machine categories the plant has: a typo would hide the reason.
    private void CheckScrapReasonScopes(PlantModel model)
    {
        if (model.ScrapReasons is null || model.Sites is null)
        {
            return;
        }

        var sites = model.Sites.OfType<SiteModel>().ToList();
        var lines = sites
            .SelectMany(s => (s.Lines ?? []).OfType<LineModel>().Select(l => $"{s.Id}/{l.Id}"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var categories = sites
            .SelectMany(s => (s.Lines ?? []).OfType<LineModel>())
            .SelectMany(l => (l.Machines ?? []).OfType<MachineModel>())
            .Select(m => m.Category)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < model.ScrapReasons.Count; i++)
        {
            if (model.ScrapReasons[i] is not { } reason)
            {
                continue;
            }

            var path = $"$.scrapReasons[{i}]";
            CheckScope(reason.Lines, $"{path}.lines", lines, "is not a line of the plant: write it as site/line, e.g. plant1/assembly");
            CheckScope(reason.MachineCategories, $"{path}.machineCategories", categories, "is not the category of any machine");
        }
    }

    // Products are optional; each names its part once, and its per-machine times name machines the plant has.
    private void CheckProducts(PlantModel model)
    {
        if (model.Products is not { } products)
        {
            return;
        }

        var machines = (model.Sites ?? []).OfType<SiteModel>()
            .SelectMany(s => (s.Lines ?? []).OfType<LineModel>().SelectMany(l => (l.Machines ?? []).OfType<MachineModel>()
                .SelectMany(m => new[] { m.Id, $"{s.Id}/{l.Id}/{m.Id}" })))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var parts = new UniqueKeys(this);
        for (var i = 0; i < products.Count; i++)
        {
            var path = $"$.products[{i}]";
            if (products[i] is not { } product)
            {
                Add(path, "must be a product, not null");
                continue;
            }

            if (string.IsNullOrEmpty(product.PartNumber))
            {
                Add($"{path}.partNumber", "is required");
            }
            else if (!PartNumber.IsValid(product.PartNumber))
            {
                Add($"{path}.partNumber", $"'{product.PartNumber}' is not a valid part number: {PartNumber.Rule}");
            }
            else
            {
                parts.Check(product.PartNumber, $"{path}.partNumber", "part number", string.Empty);
            }

            CheckText(product.Name, $"{path}.name");
            CheckIdealCycleTime(product.IdealCycleTimeSeconds, $"{path}.idealCycleTimeSeconds");
            foreach (var (machine, seconds) in product.Machines ?? new Dictionary<string, double>())
            {
                if (!machines.Contains(machine))
                {
                    Add($"{path}.machines.{machine}", $"'{machine}' is not a machine of the plant: use its id or its path site/line/machine");
                }

                CheckIdealCycleTime(seconds, $"{path}.machines.{machine}");
            }
        }
    }

    private void CheckScope(IReadOnlyList<string>? names, string path, IReadOnlySet<string> known, string unknown)
    {
        if (names is null)
        {
            return;
        }

        if (names.Count == 0)
        {
            Add(path, "must name at least one; leave it out to offer the reason on every machine");
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (!known.Contains(names[i] ?? ""))
            {
                Add($"{path}[{i}]", $"'{names[i]}' {unknown}");
            }
        }
    }

    private bool IsPresent<T>([NotNullWhen(true)] IReadOnlyList<T>? list, string path, string expected)
    {
        if (list is null)
        {
            Add(path, $"is required: {expected}");
            return false;
        }

        return true;
    }

    private bool CheckId([NotNullWhen(true)] string? id, string path, string what = "id")
    {
        if (string.IsNullOrEmpty(id))
        {
            Add(path, "is required");
            return false;
        }

        if (!EquipmentPath.IsValidSegment(id))
        {
            Add(path, $"'{id}' is not a valid {what}: {IdRule}");
            return false;
        }

        return true;
    }

    private bool CheckText([NotNullWhen(true)] string? text, string path)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            Add(path, "must not be empty");
            return false;
        }

        if (TextLimits.Check(text, TextLimits.Name, path) is { } tooLong)
        {
            _problems.Add(tooLong);
            return false;
        }

        return true;
    }

    private TimeOnly? CheckTime(string? text, string path)
    {
        if (text is null)
        {
            Add(path, "is required: a time of day such as 06:00");
            return null;
        }

        if (!ShiftTime.TryParse(text, out var time))
        {
            Add(path, $"'{text}' is not a time of day such as 06:00 (HH:mm, 00:00 to 23:59)");
            return null;
        }

        return time;
    }

    private void Add(string path, string message) => _problems.Add(new ValidationProblem(path, message));

    // Names a site, line or shift in a message by what the admin wrote, or by its place when nothing was written.
    private static string Label(string? name, string path) => string.IsNullOrWhiteSpace(name) ? path : $"'{name}'";

    /// <summary>
    /// Reports the second and later uses of an id, code or name. Keys that differ only in letter case count as the
    /// same: ids end up in URLs, MQTT topics and reason lookups where 'Press-3' next to 'press-3' only confuses.
    /// </summary>
    private sealed class UniqueKeys(PlantModelValidator validator)
    {
        private readonly Dictionary<string, string> _firstSpelling = new(StringComparer.OrdinalIgnoreCase);

        public void Check(string key, string path, string what, string scope)
        {
            if (!_firstSpelling.TryGetValue(key, out var first))
            {
                _firstSpelling.Add(key, key);
                return;
            }

            var caseNote = string.Equals(first, key, StringComparison.Ordinal) ? string.Empty : $" (same as '{first}' apart from letter case)";
            validator.Add(path, $"duplicate {what} '{key}'{scope}{caseNote}");
        }
    }
}
