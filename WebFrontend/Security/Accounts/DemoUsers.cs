using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Identity;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>
/// Development only: one demo user per role at the demo plant (and a demo admin at all sites), so that every page
/// can be tried at once. Listed in the README; never created outside Development.
/// </summary>
internal static partial class DemoUsers
{
    public const string Password = "Demo-mes-1";
    public const string Site = "plant1";

    /// <summary>The demo operator is operator number 4711: at a station, badge 0815, or 4711 and PIN 1234.</summary>
    public const string OperatorNumber = "4711";
    public const string OperatorBadge = "0815";
    public const string OperatorPin = "1234";

    public static async Task SeedAsync(IServiceScopeFactory scopes, ILogger logger)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MesUser>>();
        var db = scope.ServiceProvider.GetRequiredService<MesIdentityDb>();
        foreach (var role in MesRoles.All)
        {
            var name = role == MesRoles.Operator ? OperatorNumber : $"demo-{role}";
            if (await users.FindByNameAsync(name) is not null)
            {
                continue;
            }

            var user = new MesUser { UserName = name, DisplayName = $"Demo {role}", LockoutEnabled = true };
            if (role == MesRoles.Operator)
            {
                user.BadgeHash = Stations.OperatorBadge.Hash(OperatorBadge);
                user.PinHash = users.PasswordHasher.HashPassword(user, OperatorPin);
            }

            if ((await users.CreateAsync(user, Password)).Succeeded)
            {
                db.Grants.Add(new UserGrant { UserId = user.Id, Site = role == MesRoles.Admin ? MesRoles.AllSites : Site, Role = role });
                await db.SaveChangesAsync();
                LogSeeded(logger, name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Development: seeded the demo user '{UserName}'")]
    private static partial void LogSeeded(ILogger logger, string userName);
}
