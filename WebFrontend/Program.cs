using MesOrleans.Hosting;
using MesOrleans.Plant;
using MesOrleans.Simulator;
using MesOrleans.WebFrontend.Api;
using MesOrleans.WebFrontend.Components;
using MesOrleans.WebFrontend.Machines;
using MesOrleans.WebFrontend.Maintenance;
using MesOrleans.WebFrontend.Oee;
using MesOrleans.WebFrontend.Plant;
using MesOrleans.WebFrontend.Sites;
using MesOrleans.WebFrontend.Telemetry;
using MesOrleans.WebFrontend.WorkOrders;

var builder = WebApplication.CreateBuilder(args);

builder.AddMesSilo();
builder.AddMesSimulator(static async (services, _) => (await services.GetRequiredService<PlantCatalog>().GetCurrentAsync()).Model);
builder.AddWebFrontend();

var app = builder.Build();

app.UseWebFrontend();

app.MapMesHealth();
app.MapOpenApi();
app.MapApiReference();
app.MapPlantApi();
app.MapSiteApi();
app.MapMachineApi();
app.MapOeeApi();
app.MapWorkOrderApi();
app.MapTelemetryApi();
app.MapMaintenanceApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

return await app.RunMesAsync();

/// <summary>The entry point, visible to the end-to-end tests' WebApplicationFactory.</summary>
public partial class Program;
