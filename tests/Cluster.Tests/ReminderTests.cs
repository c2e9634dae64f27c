using MesOrleans.Cluster.Tests.Probes;
using MesOrleans.Testing;

namespace MesOrleans.Cluster.Tests;

/// <summary>Reminders in PostgreSQL outlive the silo that ran them and a restart of the whole cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReminderTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task A_reminder_keeps_firing_when_its_silo_leaves_and_after_the_whole_cluster_restarts()
    {
        var cluster = ClusterSettings.Create(await postgres.Require().CreateMesDatabaseAsync("reminders"));
        var key = "ticks-" + Guid.NewGuid().ToString("N");
        TestSilo[] silos = [await TestSilo.StartAsync(cluster, "first"), await TestSilo.StartAsync(cluster, "second")];
        TestSilo? restarted = null;
        try
        {
            await silos[0].Grains.GetGrain<ITickGrain>(key).StartAsync(TimeSpan.FromSeconds(1));
            var fired = await TicksAsync(silos[0], key, t => t.Count >= 2);
            Assert.True(fired.Count >= 2, $"the reminder fired {fired.Count} times");

            // The silo running the grain leaves: the other one takes its reminders from the table.
            var leaving = silos.Single(s => s.Address.ToString() == fired.LastSilo);
            var staying = silos.Single(s => s != leaving);
            await leaving.StopAsync();
            var moved = await TicksAsync(staying, key, t => t.Count > fired.Count + 1 && t.LastSilo == staying.Address.ToString());
            Assert.Equal(staying.Address.ToString(), moved.LastSilo);

            // Every silo stops; a new one finds the reminder in the table and the count goes on from the stored state.
            await staying.StopAsync();
            restarted = await TestSilo.StartAsync(cluster, "restarted");
            var resumed = await TicksAsync(restarted, key, t => t.Count > moved.Count && t.LastSilo == restarted.Address.ToString());
            Assert.Equal(restarted.Address.ToString(), resumed.LastSilo);

            await restarted.Grains.GetGrain<ITickGrain>(key).StopAsync();
            Assert.Empty(await SchemaTests.QueryAsync(cluster.ConnectionString,
                $"SELECT reminder_name FROM orleans_reminder WHERE grain_id LIKE '%{key}'"));
        }
        finally
        {
            foreach (var silo in silos.Append(restarted).OfType<TestSilo>())
            {
                await silo.DisposeAsync();
            }
        }
    }

    private static Task<Ticks> TicksAsync(TestSilo silo, string key, Func<Ticks, bool> done) =>
        Eventually.ReadAsync(() => silo.Grains.GetGrain<ITickGrain>(key).ReadAsync(), done, Patience);
}
