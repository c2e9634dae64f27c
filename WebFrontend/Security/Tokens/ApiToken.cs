namespace MesOrleans.WebFrontend.Security.Tokens;

/// <summary>An API token for a system (ERP import, a TV wall): its secret is kept only as a hash.</summary>
public sealed class ApiToken
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the secret part, hex.</summary>
    public required string SecretHash { get; set; }

    /// <summary>The grants, <c>role@site</c> separated by spaces.</summary>
    public required string Grants { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
