using MesOrleans.Hosting;
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

var app = builder.Build();

app.MapMesHealth();

return await app.RunMesAsync();
