using MesOrleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Storage;

namespace MesOrleans.Tests.Storage;

public sealed class SqliteStorageSiloBuilderExtensionsTests
{
    [Fact]
    public void The_named_grain_storage_resolves_on_the_registered_database()
    {
        using var directory = new TemporaryDirectory();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(_ => directory.OpenDatabase());
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddSqliteGrainStorage("mes"));
        using var host = builder.Build();

        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>("mes");

        Assert.IsType<SqliteGrainStorage>(storage);
    }
}
