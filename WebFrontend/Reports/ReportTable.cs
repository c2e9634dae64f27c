using System.Globalization;
using System.Text;
using MesOrleans.WebFrontend.Api;
using MiniExcelLibs;

namespace MesOrleans.WebFrontend.Reports;

/// <summary>
/// A table of a report as people take it away: a header row and rows of values (text, numbers, times), as CSV with a
/// header row (RFC 4180, invariant numbers, times with their offset) or as an .xlsx sheet with typed cells.
/// </summary>
public sealed record ReportTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    public const string CsvType = "text/csv";

    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>How people read each column on the page (a .NET format such as <c>P1</c>); exports keep the raw values.</summary>
    public IReadOnlyList<string?> Formats { get; init; } = [];

    /// <summary>A value as the page shows it, in the user's culture.</summary>
    public string Show(int column, object? value) => value switch
    {
        null => "–",
        double d when !double.IsFinite(d) => "–",
        DateTimeOffset t => t.ToString("ddd d MMM HH:mm", CultureInfo.CurrentCulture),
        IFormattable f => f.ToString(Formats.ElementAtOrDefault(column) ?? (value is double ? "N2" : null), CultureInfo.CurrentCulture),
        _ => value.ToString() ?? "",
    };

    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns.Select(Csv.Cell)).Append("\r\n");
        foreach (var row in Rows)
        {
            csv.AppendJoin(',', row.Select(Text)).Append("\r\n");
        }

        return csv.ToString();
    }

    public byte[] ToXlsx()
    {
        var rows = Rows.Select(row => Columns.Select((c, i) => (c, Value: Xlsx(row[i]))).ToDictionary(x => x.c, x => x.Value)).ToList();
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, rows, sheetName: SheetName(Name), excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        string s => Csv.Cell(s),
        double d => double.IsFinite(d) ? d.ToString("0.######", CultureInfo.InvariantCulture) : "",
        DateTimeOffset t => t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Csv.Cell(value.ToString()),
    };

    // Spreadsheets keep local times without an offset; the report's times are already in the site's time zone.
    private static object? Xlsx(object? value) => value switch
    {
        DateTimeOffset t => t.DateTime,
        double d when !double.IsFinite(d) => null,
        _ => value,
    };

    // Sheet names are at most 31 characters and some characters are not allowed.
    private static string SheetName(string name)
    {
        var clean = new string(name.Select(c => c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' ? ' ' : c).ToArray()).Trim();
        return clean.Length == 0 ? "Report" : clean.Length > 31 ? clean[..31] : clean;
    }
}
