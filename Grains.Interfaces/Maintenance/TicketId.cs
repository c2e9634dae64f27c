using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MesOrleans.Plant;

namespace MesOrleans.Maintenance;

/// <summary>
/// Ticket ids are the site id and a number the site's board hands out, at least four digits:
/// <c>plant1-0042</c>. People read them aloud and write them on tags, which a GUID would not survive. The number is
/// after the last '-', because site ids may contain '-' themselves.
/// </summary>
public static class TicketId
{
    /// <summary>The id of ticket <paramref name="number"/> of <paramref name="site"/>.</summary>
    public static string Format(string site, int number) =>
        EquipmentPath.IsValidSegment(site) && number > 0
            ? $"{site}-{number.ToString("D4", CultureInfo.InvariantCulture)}"
            : throw new ArgumentException($"'{site}' and {number} do not make a ticket id.");

    /// <summary>Splits a ticket id into its site and number.</summary>
    public static bool TryParse([NotNullWhen(true)] string? id, [NotNullWhen(true)] out string? site, out int number)
    {
        site = null;
        number = 0;
        var dash = id?.LastIndexOf('-') ?? -1;
        if (id is null || dash <= 0 || dash == id.Length - 1)
        {
            return false;
        }

        // Only the canonical spelling is an id: 'plant1-042' and 'plant1-0042' must not be two tickets.
        var candidate = id[..dash];
        if (!EquipmentPath.IsValidSegment(candidate) ||
            !int.TryParse(id[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ||
            parsed <= 0 || Format(candidate, parsed) != id)
        {
            return false;
        }

        site = candidate;
        number = parsed;
        return true;
    }
}
