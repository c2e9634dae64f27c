using Microsoft.AspNetCore.Identity;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>Identity's "may this account sign in" check: a disabled user may not (with RequireConfirmedAccount on).</summary>
internal sealed class ActiveAccount : IUserConfirmation<MesUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<MesUser> manager, MesUser user) => Task.FromResult(!user.Disabled);
}
