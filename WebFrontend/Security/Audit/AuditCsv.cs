using System.Globalization;
using System.Text;

namespace MesOrleans.WebFrontend.Security.Audit;

/// <summary>The audit trail as CSV (RFC 4180), for spreadsheets and auditors. Cells that a spreadsheet would run as a formula are quoted with a leading apostrophe.</summary>
public static class AuditCsv
{
    public const string Header = "id,at,actor,address,action,site,target,outcome,detail";

    public static string Write(IEnumerable<AuditEntry> entries)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var e in entries)
        {
            csv.AppendJoin(',',
                    e.Id.ToString(CultureInfo.InvariantCulture),
                    e.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    Cell(e.Actor), Cell(e.Address), Cell(e.Action), Cell(e.Site), Cell(e.Target), Cell(e.Outcome), Cell(e.Detail))
                .Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var safe = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
