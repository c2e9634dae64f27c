using MesOrleans.Hosting;
using MesOrleans.Hosting.Metrics;
using MesOrleans.Silo.Database;
using MesOrleans.Silo.Migration;

if (DatabaseCommand.Matches(args))
{
    return await DatabaseCommand.RunAsync(args, Console.Out, Console.Error);
}

if (MigrateCommand.Matches(args))
{
    return await MigrateCommand.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddMesSilo();
builder.Services.AddSystemd();
builder.Services.AddMesHealthChecks();
builder.AddMesMetrics();

var app = builder.Build();

app.MapMesHealth();
app.MapMesMetricsForOpenNetworks();

return await app.RunMesAsync();
