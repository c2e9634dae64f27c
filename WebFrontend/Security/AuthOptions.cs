using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security;

/// <summary>The <c>Mes:Auth</c> section: the first admin, session and token lifetimes, lockout, operator stations.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Mes:Auth";

    /// <summary>Created at start (all sites) when no user of that name exists; no default ships.</summary>
    public InitialAdminOptions InitialAdmin { get; set; } = new();

    /// <summary>How long an access token from <c>POST /api/auth/login</c> lasts.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a browser session lasts without use (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Wrong passwords or PINs in a row before an account is locked.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public StationOptions Station { get; set; } = new();

    /// <summary>Seed one demo user per role (Development only; ignored elsewhere).</summary>
    public bool DemoUsers { get; set; } = true;
}

/// <summary>The <c>Mes:Auth:InitialAdmin</c> section.</summary>
public sealed class InitialAdminOptions
{
    public string? UserName { get; set; }

    public string? Password { get; set; }
}

/// <summary>The <c>Mes:Auth:Station</c> section.</summary>
public sealed class StationOptions
{
    /// <summary>An operator signed in at a station is signed out after this long without a command or a tap.</summary>
    public TimeSpan IdleSignOut { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Stops the process at start with every bad <c>Mes:Auth</c> setting named by its key.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var admin = options.InitialAdmin;
        if (string.IsNullOrWhiteSpace(admin.UserName) != string.IsNullOrEmpty(admin.Password))
        {
            failures.Add("Mes:Auth:InitialAdmin:UserName and Mes:Auth:InitialAdmin:Password are set together or not at all.");
        }

        Positive(options.AccessTokenLifetime, TimeSpan.FromDays(30), "Mes:Auth:AccessTokenLifetime", failures);
        Positive(options.SessionLifetime, TimeSpan.FromDays(30), "Mes:Auth:SessionLifetime", failures);
        Positive(options.LockoutDuration, TimeSpan.FromDays(1), "Mes:Auth:LockoutDuration", failures);
        Positive(options.Station.IdleSignOut, TimeSpan.FromHours(12), "Mes:Auth:Station:IdleSignOut", failures);
        if (options.MaxFailedSignIns is < 1 or > 100)
        {
            failures.Add($"Mes:Auth:MaxFailedSignIns must be between 1 and 100; {options.MaxFailedSignIns} is not.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(TimeSpan value, TimeSpan max, string key, List<string> failures)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            failures.Add($"{key} must be a positive duration of at most {max:c}; {value:c} is not.");
        }
    }
}
