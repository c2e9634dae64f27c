using System.Security.Cryptography;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>
/// The first admin. <c>Mes:Auth:InitialAdmin:UserName</c> and <c>Password</c> create that admin (at all sites) at
/// start when no user of that name exists, in every environment; an existing user is left as it is (its password
/// is not reset). Without them and with no user at all, a one-time setup link is logged instead: whoever opens it
/// first creates the first admin, and it stops working once any user exists. No password ships with the MES.
/// </summary>
internal sealed partial class FirstAdmin(
    IServiceScopeFactory scopes,
    IOptions<AuthOptions> options,
    IHostEnvironment environment,
    IServer server,
    IHostApplicationLifetime lifetime,
    AuditTrail audit,
    ILogger<FirstAdmin> logger) : IHostedService
{
    private string? _setupCode;

    /// <summary>This run's one-time setup path (<c>/signin/setup?code=…</c>), while no user exists; null otherwise.</summary>
    public string? SetupPath => _setupCode is null ? null : $"/signin/setup?code={_setupCode}";

    /// <summary>True when <paramref name="code"/> is this run's setup code and no user exists yet.</summary>
    public async Task<bool> AcceptsAsync(string? code)
    {
        if (_setupCode is null || code is null
            || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(code), System.Text.Encoding.UTF8.GetBytes(_setupCode)))
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        return !await scope.ServiceProvider.GetRequiredService<MesIdentityDb>().Users.AnyAsync();
    }

    /// <summary>Creates the first admin through the setup link; the link is spent.</summary>
    public async Task<IdentityResult> CreateThroughSetupAsync(string code, string userName, string password, string? address)
    {
        if (!await AcceptsAsync(code))
        {
            return IdentityResult.Failed(new IdentityError { Code = "SetupSpent", Description = "This setup link is no longer valid." });
        }

        var result = await CreateAdminAsync(userName, password);
        if (result.Succeeded)
        {
            _setupCode = null;
            await audit.RecordAsync(new AuditRecord(userName, address, "user.create-first-admin", null, userName, "through the setup link", "ok"));
        }

        return result;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var admin = options.Value.InitialAdmin;
        if (!string.IsNullOrWhiteSpace(admin.UserName))
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<MesUser>>();
            if (await users.FindByNameAsync(admin.UserName) is null)
            {
                var created = await CreateAdminAsync(admin.UserName, admin.Password!);
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException(
                        $"Mes:Auth:InitialAdmin could not be created: {string.Join(" ", created.Errors.Select(e => e.Description))}");
                }

                await audit.RecordAsync(new AuditRecord("system", null, "user.create-initial-admin", null, admin.UserName, "from Mes:Auth:InitialAdmin", "ok"));
                LogInitialAdmin(logger, admin.UserName);
            }
        }

        if (environment.IsDevelopment() && options.Value.DemoUsers)
        {
            await DemoUsers.SeedAsync(scopes, logger);
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            if (await scope.ServiceProvider.GetRequiredService<MesIdentityDb>().Users.AnyAsync(cancellationToken))
            {
                return;
            }
        }

        _setupCode = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
            LogSetupLink(logger, $"{address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal).TrimEnd('/')}{SetupPath}");
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<IdentityResult> CreateAdminAsync(string userName, string password)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MesUser>>();
        var user = new MesUser { UserName = userName, LockoutEnabled = true };
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded)
        {
            var db = scope.ServiceProvider.GetRequiredService<MesIdentityDb>();
            db.Grants.Add(new UserGrant { UserId = user.Id, Site = MesRoles.AllSites, Role = MesRoles.Admin });
            await db.SaveChangesAsync();
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the initial admin '{UserName}' (all sites) from Mes:Auth:InitialAdmin")]
    private static partial void LogInitialAdmin(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No user exists yet. Open {SetupLink} once to create the first admin (the link works for this run only), or set Mes:Auth:InitialAdmin:UserName and :Password")]
    private static partial void LogSetupLink(ILogger logger, string setupLink);
}
