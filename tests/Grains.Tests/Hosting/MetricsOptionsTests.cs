using MesOrleans.Hosting.Metrics;

namespace MesOrleans.Tests.Hosting;

public sealed class MetricsOptionsTests
{
    [Fact]
    public void An_open_network_that_is_not_cidr_is_refused_naming_its_key()
    {
        var result = new MetricsOptionsValidator().Validate(null, new MetricsOptions { OpenTo = ["10.0.0.0/8", "plant network"] });

        Assert.True(result.Failed);
        Assert.Contains("Mes:Metrics:OpenTo:1", result.FailureMessage);
        Assert.DoesNotContain("OpenTo:0", result.FailureMessage);
    }
}
