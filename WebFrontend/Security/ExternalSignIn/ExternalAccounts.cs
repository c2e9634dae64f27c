using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Security.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.ExternalSignIn;

/// <summary>
/// A person the identity provider signed in becomes a local Identity user linked to the provider's subject (a
/// user login), created at the first sign-in without a password, so that the audit trail, the users page, disabling
/// and session checks treat them like everyone else. The grants come from the provider: they replace the user's
/// grants at every sign-in. A person with no valid grant is refused, and a linked user loses the grants they had
/// (and their sessions end), as the provider took them away.
/// </summary>
public sealed partial class ExternalAccounts(
    SignInManager<MesUser> signIn, MesIdentityDb db, AuditTrail audit, IOptions<OidcOptions> options, ILogger<ExternalAccounts> logger)
{
    public const string NoRole = "Your identity provider gave you no MES role. Ask your administrator for one (a value such as supervisor@plant1 in the claim '{0}').";

    /// <summary>Signs the browser in and answers null, or answers why not (for the refusal page).</summary>
    public async Task<string?> SignInAsync(HttpContext http, ClaimsPrincipal external)
    {
        var settings = options.Value;
        var address = http.Connection.RemoteIpAddress?.ToString();
        var subject = external.FindFirstValue("sub");
        var name = external.FindFirstValue("preferred_username") ?? external.FindFirstValue("email") ?? subject;
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(name))
        {
            return await RefuseAsync("", address, "no subject", "Your identity provider did not say who you are (no 'sub' claim).");
        }

        var grants = ExternalGrants.From(external, settings.RolesClaim);
        foreach (var value in grants.Ignored)
        {
            LogIgnored(logger, name, value, settings.RolesClaim);
        }

        var users = signIn.UserManager;
        var user = await users.FindByLoginAsync(ExternalSignInExtensions.Scheme, subject);
        if (grants.Grants.Count == 0)
        {
            if (user is not null)
            {
                await ReplaceGrantsAsync(user, grants);
                await users.UpdateSecurityStampAsync(user);
            }

            return await RefuseAsync(name, address, "no MES role", string.Format(System.Globalization.CultureInfo.InvariantCulture, NoRole, settings.RolesClaim));
        }

        user ??= await CreateAsync(name, subject, settings.DisplayName);
        if (user is null)
        {
            return await RefuseAsync(name, address, "no local user", "The MES could not create a user for you; ask your administrator.");
        }

        if (user.Disabled)
        {
            return await RefuseAsync(name, address, "disabled", "Your MES user is disabled; ask your administrator.");
        }

        var shown = external.FindFirstValue("name");
        if (!string.IsNullOrWhiteSpace(shown) && shown != user.DisplayName)
        {
            user.DisplayName = shown.Length > Errors.TextLimits.Person ? shown[..Errors.TextLimits.Person] : shown;
            await users.UpdateAsync(user);
        }

        await ReplaceGrantsAsync(user, grants);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: ExternalSignInExtensions.Scheme);
        await audit.RecordAsync(new AuditRecord(user.UserName!, address, "auth.sign-in", null, "/signin-oidc",
            $"{settings.DisplayName}: grants {string.Join(' ', grants.Grants)}", "ok"));
        return null;
    }

    private async Task<MesUser?> CreateAsync(string name, string subject, string providerName)
    {
        // The provider's user name when it is free and valid here; never an existing local user's (that would hand
        // their account to whoever the provider calls by that name), else a name derived from the subject.
        var derived = "oidc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))[..16];
        foreach (var userName in new[] { name, derived }.Distinct())
        {
            var user = new MesUser { UserName = userName, LockoutEnabled = true };
            if (await signIn.UserManager.FindByNameAsync(userName) is null && (await signIn.UserManager.CreateAsync(user)).Succeeded)
            {
                var linked = await signIn.UserManager.AddLoginAsync(user, new UserLoginInfo(ExternalSignInExtensions.Scheme, subject, providerName));
                if (linked.Succeeded)
                {
                    LogCreated(logger, userName, providerName);
                    return user;
                }

                await signIn.UserManager.DeleteAsync(user);
            }
        }

        return null;
    }

    private async Task ReplaceGrantsAsync(MesUser user, ExternalGrants grants)
    {
        await db.Grants.Where(g => g.UserId == user.Id).ExecuteDeleteAsync();
        db.Grants.AddRange(grants.Grants.Select(g => new UserGrant { UserId = user.Id, Site = g.Site, Role = g.Role }));
        await db.SaveChangesAsync();
    }

    private async Task<string> RefuseAsync(string name, string? address, string why, string message)
    {
        await audit.RecordAsync(new AuditRecord(name, address, "auth.sign-in.failed", null, "/signin-oidc", options.Value.DisplayName, $"refused: {why}"));
        return message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The identity provider gave '{UserName}' the value '{Value}' in the claim {Claim}, which is no MES grant (role@site); ignored")]
    private static partial void LogIgnored(ILogger logger, string userName, string value, string claim);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the local user '{UserName}' for a person signed in by {Provider}")]
    private static partial void LogCreated(ILogger logger, string userName, string provider);
}
