using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests.Security;

/// <summary>Signing in: access tokens, lockout (the initial admin's too), users who leave, restarts, and the first admin.</summary>
public sealed partial class SignInTests
{
    [Fact]
    public async Task Login_answers_an_access_token_that_works_on_the_api_and_wrong_passwords_answer_401()
    {
        await using var app = MesApp.StartWith(Model);
        using var anonymous = app.CreateAnonymousClient();

        var ok = await anonymous.PostAsJsonAsync("api/auth/login", new { userName = MesApp.AdminUserName, password = MesApp.AdminPassword });
        var wrong = await anonymous.PostAsJsonAsync("api/auth/login", new { userName = MesApp.AdminUserName, password = "nope" });
        var nobody = await anonymous.PostAsJsonAsync("api/auth/login", new { userName = "nobody", password = "nope" });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("expiresIn").GetInt64() > 3600);
        using var client = app.CreateClient(body.GetProperty("accessToken").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/sites/{Site}")).StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (wrong.StatusCode, nobody.StatusCode));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/sites/{Site}")).StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_even_the_initial_admin()
    {
        await using var app = MesApp.StartWith(Model);
        using var anonymous = app.CreateAnonymousClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await anonymous.PostAsJsonAsync("api/auth/login", new { userName = MesApp.AdminUserName, password = $"guess-{i}" })).StatusCode);
        }

        var locked = await anonymous.PostAsJsonAsync("api/auth/login", new { userName = MesApp.AdminUserName, password = MesApp.AdminPassword });

        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_disabled_user_or_a_reset_password_ends_the_tokens_issued_before()
    {
        await using var app = MesApp.StartWith(Model);
        var leaver = await app.AddUserAsync("leaver", "Leaver-pass-1", "supervisor@plant1");
        var stays = await app.AddUserAsync("stays", "Stays-pass-1", "supervisor@plant1");
        using var leaving = app.CreateClient(await app.SignInAsync("leaver", "Leaver-pass-1"));
        using var staying = app.CreateClient(await app.SignInAsync("stays", "Stays-pass-1"));
        Assert.Equal(HttpStatusCode.OK, (await leaving.GetAsync($"api/sites/{Site}")).StatusCode);

        var users = app.Services.GetRequiredService<UserDirectory>();
        await users.SetDisabledAsync(Principals.EnterpriseAdmin, leaver, disabled: true);
        await users.ResetPasswordAsync(Principals.EnterpriseAdmin, stays, "Stays-pass-2");

        Assert.Equal(HttpStatusCode.Unauthorized, (await leaving.GetAsync($"api/sites/{Site}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await staying.GetAsync($"api/sites/{Site}")).StatusCode);
        using var anonymous = app.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("api/auth/login", new { userName = "leaver", password = "Leaver-pass-1" })).StatusCode);
        Assert.NotEmpty(await app.SignInAsync("stays", "Stays-pass-2"));
    }

    [Fact]
    public async Task Access_tokens_and_api_tokens_survive_a_restart_of_the_app()
    {
        var first = MesApp.StartWith(Model);
        var accessToken = await first.SignInAsync(MesApp.AdminUserName, MesApp.AdminPassword);
        string apiToken;
        using (var admin = first.CreateClient())
        {
            var created = await admin.PostAsJsonAsync("api/tokens", new { name = "TV wall", sites = new[] { Site }, roles = new[] { "supervisor" } });
            apiToken = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        }

        first.KeepData = true;
        await first.DisposeAsync();
        await using var second = first.Restart();

        using var withAccessToken = second.CreateClient(accessToken);
        using var withApiToken = second.CreateClient(apiToken);
        Assert.Equal(HttpStatusCode.OK, (await withAccessToken.GetAsync($"api/sites/{Site}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withApiToken.GetAsync($"api/sites/{Site}")).StatusCode);
    }

    [Fact]
    public async Task Without_an_initial_admin_the_setup_link_creates_the_first_admin_once()
    {
        await using var app = MesApp.StartWith(Model, new Dictionary<string, string?>
        {
            ["Mes:Auth:InitialAdmin:UserName"] = "",
            ["Mes:Auth:InitialAdmin:Password"] = "",
        });
        var setup = app.Services.GetRequiredService<FirstAdmin>().SetupPath;
        Assert.NotNull(setup);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = app.BaseAddress };

        var form = await browser.GetStringAsync(setup.TrimStart('/'));
        var response = await browser.PostAsync(setup.TrimStart('/'), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "setup",
            ["__RequestVerificationToken"] = Antiforgery().Match(form).Groups[1].Value,
            ["Input.Code"] = setup.Split('=')[1],
            ["Input.UserName"] = "plant-admin",
            ["Input.Password"] = "Plant-admin-1",
        }));

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        Assert.NotEmpty(await app.SignInAsync("plant-admin", "Plant-admin-1"));
        Assert.Null(app.Services.GetRequiredService<FirstAdmin>().SetupPath);
        Assert.Contains("not valid", await browser.GetStringAsync(setup.TrimStart('/')));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
