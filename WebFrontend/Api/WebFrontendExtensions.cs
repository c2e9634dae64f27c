using System.Text.Json.Serialization;
using MesOrleans.Hosting;
using MesOrleans.WebFrontend.Dashboard;
using MesOrleans.WebFrontend.Live;
using MesOrleans.WebFrontend.Operator;
using MesOrleans.WebFrontend.Admin;
using MesOrleans.WebFrontend.Maintenance;
using MesOrleans.WebFrontend.Plant;
using MesOrleans.WebFrontend.Quality;
using MesOrleans.WebFrontend.Reports;
using MesOrleans.WebFrontend.Security;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.WorkOrders;
using Radzen;

namespace MesOrleans.WebFrontend.Api;

/// <summary>Everything the web app adds on top of the silo: UI, REST conventions, errors, health.</summary>
public static class WebFrontendExtensions
{
    public static IHostApplicationBuilder AddWebFrontend(this WebApplicationBuilder builder)
    {
        // Package assets (Radzen, blazor.web.js) are served from the build output in every environment,
        // not only in Development; a published app serves them from wwwroot as usual.
        builder.WebHost.UseStaticWebAssets();

        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();
        services.AddOpenApi();
        services.AddProblemDetails();
        services.AddExceptionHandler<MesExceptionHandler>();
        services.AddMesHealthChecks();
        services.ConfigureHttpJsonOptions(json =>
        {
            // Enums by name only ("state": 99 would store a state that does not exist); times with their offset.
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            json.SerializerOptions.Converters.Add(new ExplicitOffsetJsonConverter());
        });

        // A body that cannot be read throws in every environment, so that the answer names the field (MesExceptionHandler).
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddScoped<PlantOverview>();
        services.AddSingleton<LiveSiteFeed>();
        services.AddOperatorStation();
        services.AddSupervisorDashboard();
        services.AddMaintenance();
        services.AddReports();
        services.AddPlantAdmin();
        services.AddWorkOrders();
        services.AddQuality();
        return builder;
    }

    /// <summary>
    /// The group every REST endpoint is mapped in: requests out of bounds are refused at the edge
    /// (<see cref="RequestBounds"/>), and every command is written to the audit trail (<see cref="AuditFilter"/>).
    /// Each endpoint names its policy (<see cref="MesPolicies"/>).
    /// </summary>
    public static RouteGroupBuilder MapMesApi(this IEndpointRouteBuilder app) =>
        app.MapGroup("").AddEndpointFilterFactory(RequestBounds.Create).AddEndpointFilterFactory(AuditFilter.Create);

    public static WebApplication UseWebFrontend(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMesSecurity();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        return app;
    }
}
