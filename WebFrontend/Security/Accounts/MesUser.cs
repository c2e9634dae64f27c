using Microsoft.AspNetCore.Identity;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>A person who signs in: ASP.NET Core Identity's user with what the shop floor needs besides.</summary>
public sealed class MesUser : IdentityUser
{
    /// <summary>The name screens and the audit trail show ("Anna Berg"); the user name when empty.</summary>
    public string? DisplayName { get; set; }

    /// <summary>A user who left: no sign-in, and sessions and tokens issued before stop working.</summary>
    public bool Disabled { get; set; }

    /// <summary>The badge number's hash (<see cref="Stations.OperatorBadge"/>), for sign-in at a station by badge.</summary>
    public string? BadgeHash { get; set; }

    /// <summary>The PIN's hash (Identity's password hasher), for sign-in at a station by user name and PIN.</summary>
    public string? PinHash { get; set; }

    public string Shown => string.IsNullOrWhiteSpace(DisplayName) ? UserName ?? Id : DisplayName;
}
