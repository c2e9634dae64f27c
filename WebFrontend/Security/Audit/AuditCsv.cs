using System.Globalization;
using System.Text;
using MesOrleans.WebFrontend.Api;

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
                    Csv.Cell(e.Actor), Csv.Cell(e.Address), Csv.Cell(e.Action), Csv.Cell(e.Site), Csv.Cell(e.Target), Csv.Cell(e.Outcome), Csv.Cell(e.Detail))
                .Append("\r\n");
        }

        return csv.ToString();
    }
}
