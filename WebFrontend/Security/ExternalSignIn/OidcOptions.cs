using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.ExternalSignIn;

/// <summary>
/// The <c>Mes:Auth:Oidc</c> section: sign-in with the plant's OpenID Connect identity provider (Keycloak, Entra ID,
/// ADFS...). Off while <see cref="Authority"/> is empty.
/// </summary>
public sealed class OidcOptions
{
    public const string SectionName = "Mes:Auth:Oidc";

    /// <summary>The provider's issuer address; its discovery document is at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Empty for a public client (PKCE alone).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides <c>openid</c> (one that releases <see cref="RolesClaim"/>, if the provider needs one).</summary>
    public List<string> Scopes { get; set; } = ["profile"];

    /// <summary>The claim of the id token or user info whose values are MES grants (<c>supervisor@plant1</c>, <c>admin@*</c>).</summary>
    public string RolesClaim { get; set; } = "mes_roles";

    /// <summary>The provider's name on the sign-in page's button ("Sign in with …").</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>Off only for a provider on this machine (tests, a local proxy): tokens must not cross a network unencrypted.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>Stops the process at start with every bad <c>Mes:Auth:Oidc</c> setting named by its key.</summary>
internal sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            failures.Add($"Mes:Auth:Oidc:Authority must be an absolute http(s) address; '{options.Authority}' is not.");
        }
        else if (authority.Scheme == "http" && options.RequireHttpsMetadata)
        {
            failures.Add($"Mes:Auth:Oidc:Authority must be https while Mes:Auth:Oidc:RequireHttpsMetadata is true; '{options.Authority}' is not.");
        }
        else if (!options.RequireHttpsMetadata && !authority.IsLoopback)
        {
            failures.Add($"Mes:Auth:Oidc:RequireHttpsMetadata may be false only for a provider on this machine (localhost, 127.0.0.1, ::1); '{authority.Host}' is not.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add("Mes:Auth:Oidc:ClientId is required when Mes:Auth:Oidc:Authority is set.");
        }

        if (string.IsNullOrWhiteSpace(options.RolesClaim))
        {
            failures.Add("Mes:Auth:Oidc:RolesClaim must name the claim that carries MES grants (default mes_roles).");
        }

        if (string.IsNullOrWhiteSpace(options.DisplayName) || options.DisplayName.Length > Errors.TextLimits.Name)
        {
            failures.Add($"Mes:Auth:Oidc:DisplayName must be 1 to {Errors.TextLimits.Name} characters.");
        }

        if (options.Scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Any(char.IsWhiteSpace)))
        {
            failures.Add("Mes:Auth:Oidc:Scopes must be single words (e.g. profile, mes_roles).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
