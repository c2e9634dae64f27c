using MesOrleans.Errors;
using MesOrleans.WebFrontend.Security.Access;

namespace MesOrleans.WebFrontend.Security.Audit;

/// <summary>
/// Commands given on a page (a Blazor circuit) rather than through the REST API: each is checked against its policy
/// at its site, run, and written to the audit trail with the page's user and address, refused ones included.
/// </summary>
public sealed class CircuitCommands(CircuitCaller caller, AuditTrail audit)
{
    public Task<MesAccess> AccessAsync() => caller.AccessAsync();

    /// <param name="policy">What the command needs (<see cref="MesPolicies"/>).</param>
    /// <param name="site">Where; <see cref="MesRoles.AllSites"/> for the whole plant model.</param>
    /// <param name="action">The audit trail's name for it: <c>machine.scrap</c>.</param>
    /// <param name="target">What it is done to: a machine path, a ticket id.</param>
    /// <param name="detail">What was given, without secrets.</param>
    /// <param name="onBehalfOf">The operator signed in at a station, who acts through the station's session.</param>
    /// <param name="command">The command.</param>
    public async Task<T> RunAsync<T>(string policy, string site, string action, string target, string? detail, string? onBehalfOf, Func<Task<T>> command)
    {
        var access = await caller.AccessAsync();
        var actor = access.IsStation && onBehalfOf is not null ? $"{access.Name}/{onBehalfOf}" : access.Name;
        var auditSite = site == MesRoles.AllSites ? null : site;
        if (!access.May(policy, site))
        {
            await audit.RecordAsync(new AuditRecord(actor, caller.Address, action, auditSite, target, detail, "refused: not allowed"));
            throw MesCommandException.Invalid($"Your roles do not allow this at {(auditSite is null ? "every site" : $"site '{site}'")}.");
        }

        try
        {
            var result = await command();
            await audit.RecordAsync(new AuditRecord(actor, caller.Address, action, auditSite, target, detail, "ok"));
            return result;
        }
        catch (MesCommandException refused)
        {
            await audit.RecordAsync(new AuditRecord(actor, caller.Address, action, auditSite, target, detail, $"refused {refused.Kind}: {refused.Message}"));
            throw;
        }
    }
}
