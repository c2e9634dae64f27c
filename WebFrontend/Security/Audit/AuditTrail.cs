using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;
using Microsoft.EntityFrameworkCore;

namespace MesOrleans.WebFrontend.Security.Audit;

/// <summary>What one command was: written by the web app, which knows who asked and from where.</summary>
public sealed record AuditRecord(string Actor, string? Address, string Action, string? Site, string? Target, string? Detail, string Outcome);

/// <summary>A search of the audit trail; every filter optional. <see cref="Text"/> matches actor, action, target or detail.</summary>
public sealed record AuditQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Site = null, string? Text = null, int Limit = 200);

/// <summary>
/// The audit trail: every command (machine records and corrections, work orders, tickets, the plant model, users,
/// tokens, stations, sign-ins) appended to a table that triggers keep from being changed. Failing to write an entry
/// is logged loudly; it does not undo the command, which is already recorded in its grain's history.
/// </summary>
public sealed partial class AuditTrail(IDbContextFactory<MesIdentityDb> databases, TimeProvider time, ILogger<AuditTrail> logger)
{
    /// <summary>The longest detail kept, in characters.</summary>
    public const int MaxDetail = 4000;

    /// <summary>The most entries one search returns.</summary>
    public const int MaxResults = 10_000;

    public async Task RecordAsync(AuditRecord record)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync();
            db.AuditEntries.Add(new AuditEntry
            {
                At = time.GetUtcNow(),
                Actor = Bounded(record.Actor, Errors.TextLimits.Name)!,
                Address = record.Address,
                Action = Bounded(record.Action, Errors.TextLimits.Name)!,
                Site = record.Site,
                Target = Bounded(record.Target, Errors.TextLimits.Name),
                Detail = Bounded(record.Detail, MaxDetail),
                Outcome = Bounded(record.Outcome, Errors.TextLimits.Note)!,
            });
            await db.SaveChangesAsync();
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogNotWritten(logger, ex, record.Action, record.Actor);
        }
    }

    /// <summary>Entries newest first. An admin of some sites sees those sites' entries; an enterprise admin sees all.</summary>
    public async Task<IReadOnlyList<AuditEntry>> SearchAsync(AuditQuery query, MesAccess reader)
    {
        await using var db = await databases.CreateDbContextAsync();
        var entries = db.AuditEntries.AsNoTracking();
        if (query.From is { } from)
        {
            entries = entries.Where(e => e.At >= from);
        }

        if (query.To is { } to)
        {
            entries = entries.Where(e => e.At < to);
        }

        if (!string.IsNullOrWhiteSpace(query.Site))
        {
            entries = entries.Where(e => e.Site == query.Site);
        }

        if (!reader.IsEnterpriseAdmin)
        {
            var sites = reader.Grants.Where(g => g.Role == MesRoles.Admin).Select(g => g.Site).ToList();
            entries = entries.Where(e => e.Site != null && sites.Contains(e.Site));
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            entries = entries.Where(e => e.Actor.Contains(text) || e.Action.Contains(text)
                || (e.Target != null && e.Target.Contains(text)) || (e.Detail != null && e.Detail.Contains(text)));
        }

        return await entries.OrderByDescending(e => e.Id).Take(Math.Clamp(query.Limit, 1, MaxResults)).ToListAsync();
    }

    private static string? Bounded(string? text, int max) => text is { Length: var n } && n > max ? text[..max] : text;

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit entry for {Action} by {Actor} could not be written")]
    private static partial void LogNotWritten(ILogger logger, Exception exception, string action, string actor);
}
