using MesOrleans.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddMesSilo();
builder.Services.AddMesHealthChecks();

var app = builder.Build();

app.MapMesHealth();

return await app.RunMesAsync();
