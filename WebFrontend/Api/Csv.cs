namespace MesOrleans.WebFrontend.Api;

/// <summary>CSV cells (RFC 4180) that spreadsheets open safely: a text a spreadsheet would run as a formula gets a leading apostrophe.</summary>
public static class Csv
{
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var safe = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
