using System.ComponentModel.DataAnnotations;
using MesOrleans.Devices;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.Devices;

/// <summary>
/// Device accounts for the embedded MQTT broker: list, create (the secret is in the answer, once), delete. Once any
/// account exists the broker refuses anonymous clients, and an account may publish only its own site's telemetry.
/// </summary>
public static class DeviceAccountApi
{
    public static RouteGroupBuilder MapDeviceAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/device-accounts").WithTags("Device accounts").RequireAuthorization(MesPolicies.Admin);

        api.MapGet("", async Task<Ok<IReadOnlyList<DeviceAccount>>> (IGrainFactory grains) =>
            TypedResults.Ok(await Accounts(grains).ListAsync()));

        api.MapGet("/{name}", async Task<Results<Ok<DeviceAccount>, NotFound>> (string name, IGrainFactory grains) =>
            (await Accounts(grains).ListAsync()).FirstOrDefault(a => a.Name == name) is { } account
                ? TypedResults.Ok(account)
                : TypedResults.NotFound());

        api.MapPost("", async Task<Results<Created<CreatedDeviceAccountResponse>, ValidationProblem>> (CreateDeviceAccountRequest body, IGrainFactory grains) =>
        {
            var problems = DeviceAccountRules.Problems(body.Name, body.Site);
            if (problems.Count > 0)
            {
                return TypedResults.ValidationProblem(
                    problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                    title: "The device account is not valid.");
            }

            var created = await Accounts(grains).CreateAsync(body.Name!, body.Site!);
            return TypedResults.Created($"/api/device-accounts/{created.Account.Name}", CreatedDeviceAccountResponse.Of(created));
        });

        api.MapDelete("/{name}", async Task<Results<NoContent, NotFound>> (string name, IGrainFactory grains) =>
            await Accounts(grains).DeleteAsync(name) ? TypedResults.NoContent() : TypedResults.NotFound());

        return api;
    }

    private static IDeviceAccountsGrain Accounts(IGrainFactory grains) => grains.GetGrain<IDeviceAccountsGrain>(IDeviceAccountsGrain.Key);
}

/// <summary>A new device account: <c>name</c> is its MQTT user name, <c>site</c> the only site whose telemetry it may publish.</summary>
public sealed record CreateDeviceAccountRequest([property: MaxLength(Errors.TextLimits.Code)] string? Name, [property: MaxLength(Errors.TextLimits.Code)] string? Site);

/// <summary>The created account with its secret (the MQTT password), which is shown this once and cannot be read again.</summary>
public sealed record CreatedDeviceAccountResponse(string Name, string Site, DateTimeOffset CreatedAt, string Secret)
{
    public static CreatedDeviceAccountResponse Of(NewDeviceAccount created) =>
        new(created.Account.Name, created.Account.Site, created.Account.CreatedAt, created.Secret);
}
