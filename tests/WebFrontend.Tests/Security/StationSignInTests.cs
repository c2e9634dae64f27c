using System.Security.Claims;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Security;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.Security.Stations;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MesOrleans.WebFrontend.Tests.Security;

/// <summary>
/// Operators at a bound station: sign-in by badge or by number and PIN against the real identity store, refusal of
/// other sites' operators, lockout after wrong PINs, and sign-out after the idle time (on a fake clock).
/// </summary>
public sealed class StationSignInTests(StationSignInTests.App app) : IClassFixture<StationSignInTests.App>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_operator_signs_in_with_number_and_PIN_is_named_and_is_signed_out_when_idle()
    {
        var station = Station();
        var changes = 0;
        station.Changed += () => changes++;

        Assert.Equal(StationSignInResult.NeedsPin, await station.SignInAsync("4711"));
        Assert.Null(station.Name);
        Assert.Equal(StationSignInResult.SignedIn, await station.SignInWithPinAsync("4711", "2468"));
        Assert.Equal("Anna Berg", station.Name);

        // A command just before the idle time runs out starts it again.
        _clock.Advance(station.IdleSignOut - TimeSpan.FromSeconds(1));
        station.Touch();
        _clock.Advance(station.IdleSignOut - TimeSpan.FromSeconds(1));
        Assert.Equal("Anna Berg", station.Name);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(station.Name);
        Assert.False(station.IsSignedIn);
        Assert.Equal(2, changes);
    }

    [Fact]
    public async Task A_badge_signs_in_at_once()
    {
        var station = Station();

        Assert.Equal(StationSignInResult.SignedIn, await station.SignInAsync("b-0815"));

        Assert.Equal("Anna Berg", station.Name);
    }

    [Fact]
    public async Task An_operator_of_another_site_or_a_disabled_one_is_refused()
    {
        Assert.Equal(StationSignInResult.Refused, await Station().SignInWithPinAsync("5001", "1357"));

        var users = app.Instance.Services.GetRequiredService<UserDirectory>();
        await users.SetDisabledAsync(Principals.EnterpriseAdmin, app.Leaver, disabled: true);
        Assert.Equal(StationSignInResult.Refused, await Station().SignInWithPinAsync("6001", "9753"));
    }

    [Fact]
    public async Task Wrong_PINs_lock_the_operator_like_wrong_passwords()
    {
        var station = Station();
        for (var i = 1; i < 5; i++)
        {
            Assert.Equal(StationSignInResult.Refused, await station.SignInWithPinAsync("7001", "0000"));
        }

        Assert.Equal(StationSignInResult.LockedOut, await station.SignInWithPinAsync("7001", "0000"));
        Assert.Equal(StationSignInResult.LockedOut, await station.SignInWithPinAsync("7001", "8642"));
        Assert.Null(station.Name);
        var failures = await app.Instance.Services.GetRequiredService<AuditTrail>()
            .SearchAsync(new AuditQuery(Text: "7001"), Principals.EnterpriseAdmin.Access);
        Assert.Equal(6, failures.Count(e => e.Action == "auth.station-sign-in.failed"));
    }

    [Fact]
    public async Task A_person_signed_in_with_a_password_is_the_operator_of_their_own_session()
    {
        var session = Station(Principals.With("supervisor-plant1", "supervisor@plant1"));
        await session.AttachAsync();

        Assert.False(session.IsStation);
        Assert.Equal("supervisor-plant1", session.Name);
        Assert.Equal(StationSignInResult.Refused, await session.SignInWithPinAsync("4711", "2468"));
    }

    private StationOperator Station(ClaimsPrincipal? principal = null)
    {
        var services = app.Instance.Services;
        var caller = new CircuitCaller(new FixedAuthentication(principal ?? Principals.Station("st-1", "plant1/assembly")));
        return new StationOperator(caller, services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<AuditTrail>(),
            services.GetRequiredService<IOptions<AuthOptions>>(), _clock, NullLogger<StationOperator>.Instance);
    }

    private sealed class FixedAuthentication(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    /// <summary>Operators: Anna (4711, PIN 2468, badge B-0815) at plant1, one at plant2, one who left, one to lock.</summary>
    public sealed class App : IAsyncLifetime
    {
        public MesApp Instance { get; private set; } = null!;

        public string Leaver { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Instance = await TwoSites.StartAsync();
            var users = Instance.Services.GetRequiredService<UserDirectory>();
            var admin = Principals.EnterpriseAdmin;
            var anna = await users.CreateAsync(admin, "4711", "Anna Berg", null, [new("operator", "plant1")]);
            await users.SetPinAsync(admin, anna, "2468");
            await users.SetBadgeAsync(admin, anna, "B-0815");
            await users.SetPinAsync(admin, await users.CreateAsync(admin, "5001", null, null, [new("operator", TwoSites.Other)]), "1357");
            Leaver = await users.CreateAsync(admin, "6001", null, null, [new("operator", "plant1")]);
            await users.SetPinAsync(admin, Leaver, "9753");
            await users.SetPinAsync(admin, await users.CreateAsync(admin, "7001", null, null, [new("operator", "plant1")]), "8642");
        }

        public async Task DisposeAsync() => await Instance.DisposeAsync();
    }
}
