using MesOrleans.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace MesOrleans.Tests.Cluster;

/// <summary>Configures a test cluster's silos like a real MES silo, from the cluster's host configuration.</summary>
public sealed class MesTestSilo : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddMes();
        siloBuilder.Services.AddOptions<MesOptions>().BindConfiguration(MesOptions.SectionName);
    }
}
