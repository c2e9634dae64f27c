using System.Text;

namespace MesOrleans.WebFrontend.WorkOrders;

/// <summary>One record of a CSV file: the line it starts on (1-based) and its fields.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// Reads and writes CSV as RFC 4180 has it and spreadsheets write it: fields in double quotes may hold the delimiter,
/// line breaks and doubled quotes; records end with CRLF, LF or CR. The delimiter is a comma, or a semicolon when the
/// header has semicolons and no comma (spreadsheets in much of Europe write those).
/// </summary>
public static class CsvText
{
    /// <summary>The records of <paramref name="text"/>, or the line of the first quoted field that never ends.</summary>
    public static (List<CsvRecord> Records, int? UnclosedQuoteLine) Read(string text)
    {
        var delimiter = DelimiterOf(text);
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var quoted = false;
        var quoteLine = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }

                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')) ? 1 : 0;
                    field.Append(c);
                }

                i++;
                continue;
            }

            if (c == '"' && field.Length == 0)
            {
                quoted = true;
                quoteLine = line;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add(new CsvRecord(recordLine, fields));
                fields = [];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                line++;
                recordLine = line;
            }
            else
            {
                field.Append(c);
            }

            i++;
        }

        if (quoted)
        {
            return (records, quoteLine);
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(new CsvRecord(recordLine, fields));
        }

        return (records, null);
    }

    /// <summary>One record as a line of comma-separated fields, quoted where they need it, ending in CRLF.</summary>
    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Quote)) + "\r\n";

    private static string Quote(string? field) =>
        field is null ? "" : field.IndexOfAny([',', '"', '\r', '\n']) >= 0 || field.StartsWith(' ') || field.EndsWith(' ')
            ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : field;

    private static char DelimiterOf(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        return header.Contains(';', StringComparison.Ordinal) && !header.Contains(',', StringComparison.Ordinal) ? ';' : ',';
    }
}
