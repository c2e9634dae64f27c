using MesOrleans.Cluster.Tests.Probes;
using MesOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MesOrleans.Cluster.Tests;

/// <summary>Silos form a cluster through the membership table in PostgreSQL; a pure client finds them there.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MembershipTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Three_silos_join_through_the_table_and_a_client_finds_their_gateways_there()
    {
        var cluster = ClusterSettings.Create(await postgres.Require().CreateMesDatabaseAsync("membership"));
        var silos = await Task.WhenAll(Enumerable.Range(1, 3).Select(n => TestSilo.StartAsync(cluster, $"silo-{n}")));
        try
        {
            var rows = await MembersAsync(cluster);
            Assert.Equal(["silo-1 active", "silo-2 active", "silo-3 active"], rows);
            foreach (var silo in silos)
            {
                var seen = await Eventually.ReadAsync(() => Task.FromResult(ActiveMembers(silo)), n => n == 3, Convergence);
                Assert.Equal(3, seen);
            }

            await using var client = await TestClient.ConnectAsync(cluster);
            var note = client.Client.GetGrain<INoteGrain>("membership-" + Guid.NewGuid().ToString("N"));
            await note.WriteAsync("through a gateway from the table");
            Assert.Equal("through a gateway from the table", (await note.ReadAsync()).Text);

            // A silo that leaves is marked dead in the table; the others and the client carry on without it.
            await silos[2].StopAsync();
            Assert.Equal(["silo-1 active", "silo-2 active", "silo-3 dead"], await MembersAsync(cluster));
            var remaining = await Eventually.ReadAsync(() => Task.FromResult(ActiveMembers(silos[0])), n => n == 2, Convergence);
            Assert.Equal(2, remaining);
            var after = client.Client.GetGrain<INoteGrain>("membership-" + Guid.NewGuid().ToString("N"));
            await after.WriteAsync("still served");
            Assert.Equal("still served", (await after.ReadAsync()).Text);
        }
        finally
        {
            foreach (var silo in silos.Reverse())
            {
                await silo.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_silo_without_a_database_stops_at_start_naming_the_setting()
    {
        var cluster = new ClusterSettings(ConnectionString: "", ClusterId: "bad cluster id");

        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestSilo.StartAsync(cluster, "refused"));

        Assert.Contains("ConnectionStrings:Mes must name the cluster's PostgreSQL database", refused.Message);
        Assert.Contains("Mes:Cluster:ClusterId must be a name", refused.Message);
    }

    private static int ActiveMembers(TestSilo silo) =>
        silo.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);

    private static Task<List<string>> MembersAsync(ClusterSettings cluster) =>
        SchemaTests.QueryAsync(cluster.ConnectionString, $"""
            SELECT silo_name || ' ' || CASE status WHEN 3 THEN 'active' WHEN 6 THEN 'dead' ELSE status::text END
            FROM orleans_membership WHERE deployment_id = '{cluster.ClusterId}' ORDER BY silo_name
            """);
}
