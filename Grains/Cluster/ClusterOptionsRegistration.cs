using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace MesOrleans.Cluster;

/// <summary>What a cluster silo and a cluster client both set up: the validated settings and the cluster's identity.</summary>
internal static class ClusterOptionsRegistration
{
    /// <summary>The ADO.NET invariant name of Npgsql, the PostgreSQL provider the Orleans ADO.NET packages load.</summary>
    public const string Invariant = "Npgsql";

    public static void AddMesClusterOptions(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MesClusterOptions>, MesClusterOptionsValidator>());

        // Read when the host starts, so that configuration added late (tests, hosting wrappers) counts.
        services.AddOptions<MesClusterOptions>()
            .Configure<IConfiguration>((options, configuration) => options.Bind(configuration))
            .ValidateOnStart();
        services.AddOptions<ClusterOptions>().Configure<IOptions<MesClusterOptions>>((cluster, mes) =>
        {
            cluster.ClusterId = mes.Value.ClusterId;
            cluster.ServiceId = mes.Value.ServiceId;
        });
    }

    /// <summary>The MES's own connections to the cluster database (event log, queue, history reads), pooled by Npgsql.</summary>
    public static void AddMesDataSource(this IServiceCollection services) =>
        services.TryAddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<MesClusterOptions>>().Value.ConnectionString!));

    /// <summary>The Mes database for one of the Orleans ADO.NET providers' options.</summary>
    public static void UseMesDatabase<TOptions>(this OptionsBuilder<TOptions> options, Action<TOptions, string> use)
        where TOptions : class =>
        options.Configure<IOptions<MesClusterOptions>>((provider, mes) => use(provider, mes.Value.ConnectionString!));
}
