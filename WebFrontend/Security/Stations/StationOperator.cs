using MesOrleans.Errors;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Security.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.Stations;

/// <summary>What a sign-in at a station came to.</summary>
public enum StationSignInResult
{
    SignedIn,

    /// <summary>The number is not a badge: it may be a user name, and the PIN is asked next.</summary>
    NeedsPin,

    Refused,

    LockedOut,
}

/// <summary>
/// Who works at the operator station open in this circuit. On a bound station an operator signs in with a badge,
/// or with their number (user name) and PIN, and is signed out after <see cref="StationOptions.IdleSignOut"/>
/// without a command; a person signed in with a password is the operator of their own session. Commands carry
/// <see cref="Name"/>; wrong PINs count towards Identity's lockout like wrong passwords.
/// </summary>
public sealed partial class StationOperator(
    CircuitCaller caller,
    IServiceScopeFactory scopes,
    AuditTrail audit,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<StationOperator> logger) : IDisposable
{
    private ITimer? _idle;
    private string? _operator;
    private MesAccess? _device;

    /// <summary>Raised when an operator signs in or out (idle sign-out comes from a timer: re-render with InvokeAsync).</summary>
    public event Action? Changed;

    /// <summary>The name the station's commands carry; null while nobody is signed in at a bound station.</summary>
    public string? Name => _device is { IsStation: true } ? _operator : _device?.Name;

    public bool IsSignedIn => Name is not null;

    /// <summary>Whether this page runs on a bound station (operators sign in on it) rather than in a person's session.</summary>
    public bool IsStation => _device?.IsStation == true;

    public TimeSpan IdleSignOut => options.Value.Station.IdleSignOut;

    /// <summary>Reads who the page belongs to; call once the circuit is up.</summary>
    public async Task AttachAsync() => _device ??= await caller.AccessAsync();

    /// <summary>A badge scanned or a number typed on the pad.</summary>
    public async Task<StationSignInResult> SignInAsync(string number)
    {
        await AttachAsync();
        if (!OperatorBadge.IsValid(number))
        {
            return StationSignInResult.Refused;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MesUser>>();
        var hash = OperatorBadge.Hash(number);
        var user = await users.Users.SingleOrDefaultAsync(u => u.BadgeHash == hash);
        if (user is null)
        {
            return StationSignInResult.NeedsPin;
        }

        return await AdmitAsync(scope, users, user, "badge");
    }

    /// <summary>A user name (the operator's number) and PIN.</summary>
    public async Task<StationSignInResult> SignInWithPinAsync(string userName, string pin)
    {
        await AttachAsync();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MesUser>>();
        var user = await users.FindByNameAsync(userName);
        if (user is null || user.PinHash is null || pin.Length > TextLimits.Secret)
        {
            await RefusedAsync(userName, "unknown user or no PIN");
            return StationSignInResult.Refused;
        }

        if (await users.IsLockedOutAsync(user))
        {
            await RefusedAsync(userName, "locked out");
            return StationSignInResult.LockedOut;
        }

        if (users.PasswordHasher.VerifyHashedPassword(user, user.PinHash, pin) == PasswordVerificationResult.Failed)
        {
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            await RefusedAsync(userName, locked ? "wrong PIN; now locked out" : "wrong PIN");
            return locked ? StationSignInResult.LockedOut : StationSignInResult.Refused;
        }

        await users.ResetAccessFailedCountAsync(user);
        return await AdmitAsync(scope, users, user, "PIN");
    }

    /// <summary>The operator signs out, or the idle time ran out.</summary>
    public void SignOut()
    {
        _idle?.Dispose();
        _idle = null;
        if (_operator is not null)
        {
            _operator = null;
            Changed?.Invoke();
        }
    }

    /// <summary>A command or tap: the idle time starts again.</summary>
    public void Touch() => _idle?.Change(IdleSignOut, Timeout.InfiniteTimeSpan);

    public void Dispose() => _idle?.Dispose();

    private async Task<StationSignInResult> AdmitAsync(AsyncServiceScope scope, UserManager<MesUser> users, MesUser user, string how)
    {
        var site = _device?.StationLine?.Split('/')[0];
        var grants = await scope.ServiceProvider.GetRequiredService<MesIdentityDb>().Grants.AsNoTracking()
            .Where(g => g.UserId == user.Id).Select(g => new SiteGrant(g.Role, g.Site)).ToListAsync();
        var operates = MesPolicies.Requirements[MesPolicies.Operate].Roles;
        if (!IsStation || site is null || user.Disabled || await users.IsLockedOutAsync(user)
            || !grants.Any(g => g.Covers(site) && (g.Role == MesRoles.Admin || operates.Contains(g.Role))))
        {
            await RefusedAsync(user.UserName ?? user.Id, IsStation ? $"no operator role at '{site}', disabled or locked out" : "not a bound station");
            return StationSignInResult.Refused;
        }

        _operator = user.Shown;
        _idle?.Dispose();
        _idle = time.CreateTimer(_ => SignOut(), null, IdleSignOut, Timeout.InfiniteTimeSpan);
        await audit.RecordAsync(new AuditRecord($"{_device!.Name}/{_operator}", caller.Address, "auth.station-sign-in", site, _device.StationLine, $"by {how}", "ok"));
        LogSignedIn(logger, _operator, _device.StationLine!);
        Changed?.Invoke();
        return StationSignInResult.SignedIn;
    }

    private Task RefusedAsync(string who, string why) =>
        audit.RecordAsync(new AuditRecord(who, caller.Address, "auth.station-sign-in.failed", _device?.StationLine?.Split('/')[0], _device?.StationLine, null, $"refused: {why}"));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operator} signed in at the station of {Line}")]
    private static partial void LogSignedIn(ILogger logger, string @operator, string line);
}
