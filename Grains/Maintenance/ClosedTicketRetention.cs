namespace MesOrleans.Maintenance;

/// <summary>
/// How long a board keeps closed tickets: <see cref="MaxAge"/> after closing, and at most <see cref="MaxCount"/> of
/// them (the latest closings win). The history store's schema is not the maintenance feature's to extend, so the
/// board keeps them itself, for the KPIs; periods reaching further back are marked incomplete.
/// </summary>
internal static class ClosedTicketRetention
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(90);
    public const int MaxCount = 5_000;

    /// <summary>Drops what is past the limits and remembers how far back the archive is still complete.</summary>
    public static void Apply(MaintenanceArchiveState archive, DateTimeOffset now, TimeSpan maxAge, int maxCount)
    {
        var closed = archive.Closed;
        var kept = closed.Where(t => t.ClosedAt >= now - maxAge).OrderByDescending(t => t.ClosedAt).Take(maxCount).ToList();
        if (kept.Count == closed.Count)
        {
            return;
        }

        var keptIds = kept.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var latestDropped = closed.Where(t => !keptIds.Contains(t.Id)).Max(t => t.OpenedAt).AddTicks(1);
        archive.Closed = [.. kept.OrderBy(t => t.ClosedAt)];
        if (archive.IncompleteBefore is not { } before || latestDropped > before)
        {
            archive.IncompleteBefore = latestDropped;
        }
    }
}
