namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>A role a user holds at a site (or at <c>*</c>, every site); a row of the identity database.</summary>
public sealed class UserGrant
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string Site { get; set; }

    public required string Role { get; set; }
}
