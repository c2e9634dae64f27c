using System.Text;
using MesOrleans.Devices;
using MesOrleans.Errors;
using MesOrleans.Tests.Cluster;

namespace MesOrleans.Tests.Devices;

[Collection(ClusterCollection.Name)]
public sealed class DeviceAccountsGrainTests(ClusterFixture fixture)
{
    private IDeviceAccountsGrain Accounts => fixture.Grains.GetGrain<IDeviceAccountsGrain>(IDeviceAccountsGrain.Key);

    [Fact]
    public async Task A_new_account_shows_its_secret_once_and_stores_only_a_hash_of_it()
    {
        var name = Unique("gateway");
        var created = await Accounts.CreateAsync(name, ClusterPlant.SiteId);

        var listed = Assert.Single(await Accounts.ListAsync(), a => a.Name == name);
        var credential = Assert.Single((await Accounts.GetCredentialsAsync()).Accounts, a => a.Name == name);
        Assert.Equal(created.Account, listed);
        Assert.Equal(ClusterPlant.SiteId, credential.Site);
        Assert.True(DeviceSecret.Matches(credential, Encoding.UTF8.GetBytes(created.Secret)));
        Assert.DoesNotContain(created.Secret, Encoding.UTF8.GetString(credential.Hash));
    }

    [Fact]
    public async Task Every_change_raises_the_version_and_deleting_removes_the_credential()
    {
        var name = Unique("press");
        var before = (await Accounts.GetCredentialsAsync()).Version;
        await Accounts.CreateAsync(name, ClusterPlant.SiteId);
        var afterCreate = await Accounts.GetCredentialsAsync();

        Assert.True(await Accounts.DeleteAsync(name));
        var afterDelete = await Accounts.GetCredentialsAsync();

        Assert.True(afterCreate.Version > before);
        Assert.True(afterDelete.Version > afterCreate.Version);
        Assert.DoesNotContain(afterDelete.Accounts, a => a.Name == name);
        Assert.False(await Accounts.DeleteAsync(name));
    }

    [Fact]
    public async Task A_bad_name_an_unknown_site_or_a_taken_name_is_refused_and_changes_nothing()
    {
        var name = Unique("welder");
        await Accounts.CreateAsync(name, ClusterPlant.SiteId);
        var before = await Accounts.GetCredentialsAsync();

        var badName = await Assert.ThrowsAsync<MesCommandException>(() => Accounts.CreateAsync("no spaces/allowed", ClusterPlant.SiteId));
        var unknownSite = await Assert.ThrowsAsync<MesCommandException>(() => Accounts.CreateAsync(Unique("x"), "nowhere"));
        var taken = await Assert.ThrowsAsync<MesCommandException>(() => Accounts.CreateAsync(name, ClusterPlant.SiteId));

        Assert.Equal("$.name", Assert.Single(badName.Problems).Path);
        Assert.Equal("$.site", Assert.Single(unknownSite.Problems).Path);
        Assert.Equal(MesErrorKind.Conflict, taken.Kind);
        Assert.Equal(before.Version, (await Accounts.GetCredentialsAsync()).Version);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];
}
