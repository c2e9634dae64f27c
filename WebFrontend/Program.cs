using MesOrleans.Hosting;
using MesOrleans.Hosting.Metrics;
using MesOrleans.Plant;
using MesOrleans.Simulator;
using MesOrleans.WebFrontend.Api;
using MesOrleans.WebFrontend.Components;
using MesOrleans.WebFrontend.Devices;
using MesOrleans.WebFrontend.Machines;
using MesOrleans.WebFrontend.Maintenance;
using MesOrleans.WebFrontend.Oee;
using MesOrleans.WebFrontend.Plant;
using MesOrleans.WebFrontend.Quality;
using MesOrleans.WebFrontend.Reports;
using MesOrleans.WebFrontend.Security;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.Security.ExternalSignIn;
using MesOrleans.WebFrontend.Security.Tokens;
using MesOrleans.WebFrontend.Sites;
using MesOrleans.WebFrontend.Telemetry;
using MesOrleans.WebFrontend.WorkOrders;

var builder = WebApplication.CreateBuilder(args);

builder.AddMesSiloOrClient();
builder.AddMesSimulator(static async (services, _) => (await services.GetRequiredService<PlantCatalog>().GetCurrentAsync()).Model);
builder.AddWebFrontend();
builder.AddMesSecurity();
builder.AddMesMetrics();
builder.Services.AddSystemd();

var app = builder.Build();

app.UseWebFrontend();

app.MapMesHealth().AllowAnonymous();
app.MapMesMetrics().RequireAuthorization(MesPolicies.Metrics);
app.MapMesDashboard().RequireAuthorization(MesPolicies.Admin);
app.MapOpenApi().RequireAuthorization(MesPolicies.Admin);
app.MapApiReference().RequireAuthorization(MesPolicies.Admin);
app.MapSignInForms();
app.MapExternalSignIn();
var api = app.MapMesApi();
api.MapSignInApi();
api.MapPlantApi();
api.MapSiteApi();
api.MapMachineApi();
api.MapOeeApi();
api.MapReportsApi();
api.MapWorkOrderApi();
api.MapQualityApi();
api.MapTelemetryApi();
api.MapMaintenanceApi();
api.MapDeviceAccountApi();
api.MapTokenApi();
api.MapAuditApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

return await app.RunMesAsync();

/// <summary>The entry point, visible to the end-to-end tests' WebApplicationFactory.</summary>
public partial class Program;
