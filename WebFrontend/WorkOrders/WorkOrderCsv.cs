using System.Globalization;
using System.Text;
using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.WebFrontend.Api;
using MesOrleans.WorkOrders;

namespace MesOrleans.WebFrontend.WorkOrders;

/// <summary>
/// The ERP exchange file of work orders: <c>order,part,quantity,due,line</c> (and optionally <c>lot</c>), the header on
/// line 1, columns in any order. Text is read as its byte order mark says (UTF-8, UTF-16), else as the request's
/// charset, else as UTF-8 (bytes that are not UTF-8 are an error naming their line). <c>due</c> is a date
/// (<c>2026-12-01</c>: by the end of that day in the site's time zone), a date and time with its offset, or empty;
/// <c>line</c> is <c>site/line</c>.
/// </summary>
public static class WorkOrderCsv
{
    /// <summary>The columns every file has.</summary>
    public static readonly IReadOnlyList<string> Columns = ["order", "part", "quantity", "due", "line"];

    /// <summary>The largest file taken (bytes) and the most rows.</summary>
    public const int MaxBytes = 32 * 1024 * 1024;

    public const int MaxRows = 100_000;

    private const string Lot = "lot";

    static WorkOrderCsv() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The file's rows by line, or the problems of the rows that have any (every row is read).</summary>
    public static (List<WorkOrderImportRow> Rows, List<WorkOrderRowError> Errors) Read(byte[] body, string? charset, PlantView plant)
    {
        if (Decode(body, charset) is not { } text)
        {
            return ([], [new WorkOrderRowError(LineOfInvalidUtf8(body), "", "is not UTF-8 text: save the file as UTF-8, or send its charset (text/csv; charset=windows-1252).")]);
        }

        var (records, unclosed) = CsvText.Read(text);
        if (unclosed is { } quoteLine)
        {
            return ([], [new WorkOrderRowError(quoteLine, "", "a quoted field opens here and never closes.")]);
        }

        records.RemoveAll(r => r.Fields.All(string.IsNullOrWhiteSpace));
        if (records.Count == 0 || records[0].Line != 1)
        {
            return ([], [new WorkOrderRowError(1, "", $"the first line must be the header: {string.Join(',', Columns)}.")]);
        }

        var header = records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var errors = new List<WorkOrderRowError>();
        foreach (var missing in Columns.Where(c => !header.Contains(c)))
        {
            errors.Add(new(1, missing, $"the header has no column '{missing}'."));
        }

        foreach (var (name, index) in header.Select((h, i) => (h, i)))
        {
            if (!Columns.Contains(name) && name != Lot)
            {
                errors.Add(new(1, name, $"'{name}' is not a column: use {string.Join(", ", Columns)} and optionally {Lot}."));
            }
            else if (header.IndexOf(name) != index)
            {
                errors.Add(new(1, name, $"'{name}' appears twice in the header."));
            }
        }

        if (records.Count - 1 > MaxRows)
        {
            errors.Add(new(records[MaxRows + 1].Line, "", $"a file has at most {MaxRows:N0} rows."));
        }

        if (errors.Count > 0)
        {
            return ([], errors);
        }

        var rows = new List<WorkOrderImportRow>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != header.Count)
            {
                errors.Add(new(record.Line, header[Math.Min(record.Fields.Count, header.Count - 1)], $"has {record.Fields.Count} fields; the header has {header.Count}."));
                continue;
            }

            string Field(string column) => record.Fields[header.IndexOf(column)].Trim();
            var rowErrors = new List<WorkOrderRowError>();
            if (!long.TryParse(Field("quantity"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quantity))
            {
                rowErrors.Add(new(record.Line, "quantity", $"'{Field("quantity")}' is not a whole number."));
            }

            var line = Field("line");
            var zone = EquipmentPath.TryParse(line, out var path) && path.IsLine && plant.Line(path) is not null
                ? plant.CalendarOf(path.Site).TimeZone
                : null;
            if (zone is null)
            {
                rowErrors.Add(new(record.Line, "line", $"'{line}' is not a line of the plant: write it as site/line, e.g. plant1/assembly."));
            }

            var due = Due(Field("due"), zone ?? TimeZoneInfo.Utc, out var dueProblem);
            if (dueProblem is not null)
            {
                rowErrors.Add(new(record.Line, "due", dueProblem));
            }

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                continue;
            }

            var lot = header.Contains(Lot) && Field(Lot) is { Length: > 0 } l ? l : null;
            rows.Add(new WorkOrderImportRow(record.Line, new WorkOrderPlan(Field("order"), Field("part"), quantity, line, due, lot)));
        }

        return (rows, errors);
    }

    /// <summary>The export of completed orders: the exchange columns plus counts, times and scrap by reason.</summary>
    public static string Write(IReadOnlyList<(WorkOrderEntry Order, WorkOrderProgress Progress)> orders)
    {
        var reasons = orders.SelectMany(o => o.Progress.ScrapByReason.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder(CsvText.Line(
            ["order", "part", "quantity", "good", "scrap", "line", "started", "completed", .. reasons.Select(r => $"scrap:{(r.Length == 0 ? "unassigned" : r)}")]));
        foreach (var (order, progress) in orders)
        {
            text.Append(CsvText.Line(
            [
                order.OrderNumber, order.Plan.PartNumber, Number(order.Plan.Quantity), Number(progress.Good), Number(progress.Scrap), order.Plan.LineId,
                Time(order.StartedAt), Time(order.CompletedAt), .. reasons.Select(r => Number(progress.ScrapByReason.GetValueOrDefault(r))),
            ]));
        }

        return text.ToString();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Time(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    // A date alone is due by the end of that day where the line is; a time must say its offset.
    private static DateTimeOffset? Due(string text, TimeZoneInfo zone, out string? problem)
    {
        problem = null;
        if (text.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var midnight = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime();
        }

        if (ExplicitOffset.TryParse(text, out var at))
        {
            return at.ToUniversalTime();
        }

        problem = $"'{text}' is not a date (2026-12-01) or a date and time with its offset (2026-12-01T14:00:00+01:00).";
        return null;
    }

    private static string? Decode(byte[] body, string? charset)
    {
        var span = body.AsSpan();
        try
        {
            if (span.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
            {
                return new UTF8Encoding(false, true).GetString(span[3..]);
            }

            if (span.StartsWith(new byte[] { 0xFF, 0xFE }))
            {
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetString(span[2..]);
            }

            if (span.StartsWith(new byte[] { 0xFE, 0xFF }))
            {
                return new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetString(span[2..]);
            }

            return (charset is null ? new UTF8Encoding(false, true) : EncodingOf(charset)).GetString(span);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static Encoding EncodingOf(string charset)
    {
        try
        {
            var encoding = Encoding.GetEncoding(charset.Trim('"', ' '));
            return encoding is UTF8Encoding ? new UTF8Encoding(false, true) : encoding;
        }
        catch (ArgumentException)
        {
            throw MesCommandException.Invalid($"'{charset}' is not a character set.", [new("charset", $"'{charset}' is not a character set this server reads: use utf-8 or windows-1252.")]);
        }
    }

    // The line holding the first byte sequence that is not UTF-8.
    private static int LineOfInvalidUtf8(byte[] body)
    {
        var decoder = new UTF8Encoding(false, true).GetDecoder();
        var chars = new char[4];
        var line = 1;
        for (var i = 0; i < body.Length; i++)
        {
            try
            {
                decoder.GetChars(body, i, 1, chars, 0, flush: false);
            }
            catch (DecoderFallbackException)
            {
                return line;
            }

            line += body[i] == (byte)'\n' ? 1 : 0;
        }

        return line;
    }
}
