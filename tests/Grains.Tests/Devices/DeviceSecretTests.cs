using System.Text;
using MesOrleans.Devices;

namespace MesOrleans.Tests.Devices;

public sealed class DeviceSecretTests
{
    [Fact]
    public void The_secret_matches_its_credential_and_nothing_else_does()
    {
        var secret = DeviceSecret.NewSecret();
        var credential = DeviceSecret.Create("press-gateway", "plant1", secret);

        Assert.True(DeviceSecret.Matches(credential, Encoding.UTF8.GetBytes(secret)));
        Assert.False(DeviceSecret.Matches(credential, Encoding.UTF8.GetBytes(secret + "x")));
        Assert.False(DeviceSecret.Matches(credential, []));
        Assert.False(DeviceSecret.Matches(null, Encoding.UTF8.GetBytes(secret)));
    }

    [Fact]
    public void Secrets_are_long_random_and_stored_only_as_salted_hashes()
    {
        var first = DeviceSecret.NewSecret();
        var second = DeviceSecret.NewSecret();
        var a = DeviceSecret.Create("a", "plant1", first);
        var b = DeviceSecret.Create("b", "plant1", first);

        Assert.Equal(43, first.Length);
        Assert.NotEqual(first, second);
        Assert.NotEqual(a.Salt, b.Salt);
        Assert.NotEqual(a.Hash, b.Hash);
        Assert.NotEqual(Encoding.UTF8.GetBytes(first), a.Hash);
        Assert.Equal(DeviceSecret.Iterations, a.Iterations);
    }
}
