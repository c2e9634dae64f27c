using MesOrleans.Errors;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.Security.Stations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>A user as the admin page lists them; <see cref="SignsInWith"/> names the identity provider of an external user.</summary>
public sealed record UserRow(
    string Id, string UserName, string? DisplayName, bool Disabled, DateTimeOffset? LockedOutUntil,
    bool HasPassword, bool HasPin, bool HasBadge, IReadOnlyList<SiteGrant> Grants, string? SignsInWith);

/// <summary>Who manages users, and from where: the audit trail's actor.</summary>
public sealed record Manager(MesAccess Access, string? Address);

/// <summary>
/// User management for admins: create, grant and revoke roles per site, disable, reset a password, PIN or badge,
/// unlock. An admin manages the users and grants of the sites they administer; only an enterprise admin (admin at
/// all sites) touches all-sites grants. Every change is in the audit trail. Each call uses its own database scope, so
/// a page that stays open never works on stale rows.
/// </summary>
public sealed class UserDirectory(IServiceScopeFactory scopes, AuditTrail audit, TimeProvider time)
{
    public async Task<IReadOnlyList<UserRow>> ListAsync(MesAccess reader)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MesIdentityDb>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync();
        var grants = (await db.Grants.AsNoTracking().ToListAsync()).ToLookup(g => g.UserId, g => new SiteGrant(g.Role, g.Site));
        var providers = (await db.UserLogins.AsNoTracking().ToListAsync()).ToLookup(l => l.UserId, l => l.ProviderDisplayName ?? l.LoginProvider);
        var now = time.GetUtcNow();
        return users
            .Select(u => new UserRow(u.Id, u.UserName ?? "", u.DisplayName, u.Disabled, u.LockoutEnd > now ? u.LockoutEnd : null,
                u.PasswordHash is not null, u.PinHash is not null, u.BadgeHash is not null, grants[u.Id].ToList(), providers[u.Id].FirstOrDefault()))
            .Where(u => Manages(reader, u.Grants))
            .ToList();
    }

    public async Task<string> CreateAsync(Manager by, string userName, string? displayName, string? password, IReadOnlyList<SiteGrant> grants)
    {
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(userName) || userName.Length > TextLimits.Person)
        {
            problems.Add(new("$.userName", $"A user name is required (at most {TextLimits.Person} characters)."));
        }

        Add(problems, TextLimits.Check(displayName, TextLimits.Person, "$.displayName"));
        Add(problems, TextLimits.Check(password, TextLimits.Secret, "$.password"));
        CheckGrants(by.Access, grants, problems);
        Throw(problems);

        return await RunAsync(by, "user.create", userName.Trim(), $"grants {string.Join(' ', grants)}", async (users, db) =>
        {
            var user = new MesUser { UserName = userName.Trim(), DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim() };
            Check(string.IsNullOrEmpty(password) ? await users.CreateAsync(user) : await users.CreateAsync(user, password), "$.password");
            await users.SetLockoutEnabledAsync(user, true);
            db.Grants.AddRange(grants.Distinct().Select(g => new UserGrant { UserId = user.Id, Site = g.Site, Role = g.Role }));
            await db.SaveChangesAsync();
            return user.Id;
        });
    }

    public Task GrantAsync(Manager by, string userId, SiteGrant grant) =>
        ChangeAsync(by, userId, "user.grant", grant.ToString(), async (users, db, user) =>
        {
            var problems = new List<ValidationProblem>();
            CheckGrants(by.Access, [grant], problems);
            Throw(problems);
            if (!await db.Grants.AnyAsync(g => g.UserId == userId && g.Site == grant.Site && g.Role == grant.Role))
            {
                db.Grants.Add(new UserGrant { UserId = userId, Site = grant.Site, Role = grant.Role });
                await db.SaveChangesAsync();
            }
        });

    public Task RevokeAsync(Manager by, string userId, SiteGrant grant) =>
        ChangeAsync(by, userId, "user.revoke", grant.ToString(), async (users, db, user) =>
        {
            await db.Grants.Where(g => g.UserId == userId && g.Site == grant.Site && g.Role == grant.Role).ExecuteDeleteAsync();
            await users.UpdateSecurityStampAsync(user);
        });

    public Task SetDisabledAsync(Manager by, string userId, bool disabled) =>
        ChangeAsync(by, userId, disabled ? "user.disable" : "user.enable", null, async (users, db, user) =>
        {
            user.Disabled = disabled;
            Check(await users.UpdateAsync(user), "$.disabled");

            // A new stamp ends the user's sessions and access tokens at their next request.
            Check(await users.UpdateSecurityStampAsync(user), "$.disabled");
        });

    public Task ResetPasswordAsync(Manager by, string userId, string password) =>
        ChangeAsync(by, userId, "user.reset-password", null, async (users, db, user) =>
        {
            Throw([.. new[] { TextLimits.Check(password, TextLimits.Secret, "$.password") }.OfType<ValidationProblem>()]);
            foreach (var validator in users.PasswordValidators)
            {
                Check(await validator.ValidateAsync(users, user, password), "$.password");
            }

            if (await users.HasPasswordAsync(user))
            {
                Check(await users.RemovePasswordAsync(user), "$.password");
            }

            Check(await users.AddPasswordAsync(user, password), "$.password");
        });

    public Task SetPinAsync(Manager by, string userId, string? pin) =>
        ChangeAsync(by, userId, pin is null ? "user.remove-pin" : "user.set-pin", null, async (users, db, user) =>
        {
            if (pin is not null && !OperatorBadge.IsValidPin(pin))
            {
                Throw([new("$.pin", "A PIN is 4 to 8 digits.")]);
            }

            user.PinHash = pin is null ? null : users.PasswordHasher.HashPassword(user, pin);
            Check(await users.UpdateAsync(user), "$.pin");
        });

    public Task SetBadgeAsync(Manager by, string userId, string? badge) =>
        ChangeAsync(by, userId, badge is null ? "user.remove-badge" : "user.set-badge", null, async (users, db, user) =>
        {
            if (badge is not null && !OperatorBadge.IsValid(badge))
            {
                Throw([new("$.badge", $"A badge number has 1 to {OperatorBadge.MaxLength} letters, digits, '-' or '_'.")]);
            }

            var hash = badge is null ? null : OperatorBadge.Hash(badge);
            if (hash is not null && await users.Users.AnyAsync(u => u.BadgeHash == hash && u.Id != user.Id))
            {
                Throw([new("$.badge", "Another user has this badge.")]);
            }

            user.BadgeHash = hash;
            Check(await users.UpdateAsync(user), "$.badge");
        });

    public Task UnlockAsync(Manager by, string userId) =>
        ChangeAsync(by, userId, "user.unlock", null, async (users, db, user) =>
        {
            Check(await users.SetLockoutEndDateAsync(user, null), "$.lockout");
            Check(await users.ResetAccessFailedCountAsync(user), "$.lockout");
        });

    /// <summary>An admin manages a user whose every grant is at a site the admin administers; an enterprise admin, everyone.</summary>
    public static bool Manages(MesAccess admin, IEnumerable<SiteGrant> userGrants) =>
        admin.IsEnterpriseAdmin || userGrants.All(g => !g.IsAllSites && admin.Administers(g.Site));

    private static void CheckGrants(MesAccess admin, IEnumerable<SiteGrant> grants, List<ValidationProblem> problems)
    {
        foreach (var grant in grants)
        {
            if (grant.IsAllSites ? !admin.IsEnterpriseAdmin : !admin.Administers(grant.Site))
            {
                problems.Add(new("$.grants", $"You do not administer {(grant.IsAllSites ? "all sites" : $"site '{grant.Site}'")}, so you cannot grant {grant}."));
            }
        }
    }

    private Task ChangeAsync(Manager by, string userId, string action, string? detail, Func<UserManager<MesUser>, MesIdentityDb, MesUser, Task> change) =>
        RunAsync(by, action, userId, detail, async (users, db) =>
        {
            var user = await users.FindByIdAsync(userId) ?? throw MesCommandException.NotFound($"There is no user '{userId}'.");
            var grants = await db.Grants.Where(g => g.UserId == userId).Select(g => new SiteGrant(g.Role, g.Site)).ToListAsync();
            if (!Manages(by.Access, grants))
            {
                throw MesCommandException.Invalid($"You do not administer every site of '{user.UserName}'.");
            }

            await change(users, db, user);
            return user.UserName ?? userId;
        });

    private async Task<string> RunAsync(Manager by, string action, string target, string? detail, Func<UserManager<MesUser>, MesIdentityDb, Task<string>> command)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MesUser>>();
        try
        {
            var result = await command(users, scope.ServiceProvider.GetRequiredService<MesIdentityDb>());
            await audit.RecordAsync(new AuditRecord(by.Access.Name, by.Address, action, null, target, detail, "ok"));
            return result;
        }
        catch (MesCommandException refused)
        {
            await audit.RecordAsync(new AuditRecord(by.Access.Name, by.Address, action, null, target, detail, $"refused {refused.Kind}: {refused.Message}"));
            throw;
        }
    }

    private static void Add(List<ValidationProblem> problems, ValidationProblem? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }

    private static void Check(IdentityResult result, string path)
    {
        if (!result.Succeeded)
        {
            Throw([.. result.Errors.Select(e => new ValidationProblem(path, e.Description))]);
        }
    }

    private static void Throw(IReadOnlyList<ValidationProblem> problems)
    {
        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid(problems[0].Message, problems);
        }
    }
}
