using MesOrleans.Hosting;
using MesOrleans.Silo.Database;

if (DatabaseCommand.Matches(args))
{
    return await DatabaseCommand.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddMesSilo();
builder.Services.AddSystemd();
builder.Services.AddMesHealthChecks();

var app = builder.Build();

app.MapMesHealth();

return await app.RunMesAsync();
