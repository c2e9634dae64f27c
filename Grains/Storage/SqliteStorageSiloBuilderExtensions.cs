using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;

namespace MesOrleans.Storage;

public static class SqliteStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds grain storage named <paramref name="name"/> on <c>mes.db</c>. The caller registers the
    /// <see cref="MesDatabase"/> singleton, which the history store shares.
    /// </summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Services.AddGrainStorage(
            name,
            static (services, storageName) => new SqliteGrainStorage(
                storageName,
                services.GetRequiredService<MesDatabase>(),
                services.GetRequiredService<IActivatorProvider>(),
                services.GetRequiredService<ILogger<SqliteGrainStorage>>()));
        return builder;
    }
}
