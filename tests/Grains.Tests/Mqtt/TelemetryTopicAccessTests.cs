using MesOrleans.Mqtt;

namespace MesOrleans.Tests.Mqtt;

public sealed class TelemetryTopicAccessTests
{
    [Theory]
    [InlineData("mes/plantA/assembly/press-1/state", true)]
    [InlineData("mes/plantA/x", true)]
    [InlineData("mes/plantB/assembly/press-1/state", false)]
    [InlineData("mes/plantAB/assembly/press-1/state", false)]
    [InlineData("mes/plantA", false)]
    [InlineData("mes/plantA/", false)]
    [InlineData("other/plantA/assembly/press-1/state", false)]
    [InlineData("mesx/plantA/assembly/press-1/state", false)]
    [InlineData("scada/alarms", false)]
    public void A_device_publishes_only_under_its_own_site(string topic, bool allowed) =>
        Assert.Equal(allowed, TelemetryTopicAccess.MayPublish("mes", "plantA", topic));

    [Theory]
    [InlineData("mes/plantA/#", true)]
    [InlineData("mes/plantA/+/+/state", true)]
    [InlineData("mes/plantA/assembly/press-1/count", true)]
    [InlineData("mes", true)]
    [InlineData("+", true)]
    [InlineData("scada/alarms/#", true)]
    [InlineData("+/alarms", true)]
    [InlineData("mes/+", true)]
    [InlineData("mes/+/#", false)]
    [InlineData("mes/plantB/#", false)]
    [InlineData("mes/#", false)]
    [InlineData("mes/+/assembly/press-1/state", false)]
    [InlineData("+/+/assembly/press-1/state", false)]
    [InlineData("+/plantB/#", false)]
    [InlineData("#", false)]
    public void A_device_may_not_subscribe_to_a_filter_that_matches_another_sites_telemetry(string filter, bool allowed) =>
        Assert.Equal(allowed, TelemetryTopicAccess.MaySubscribe("mes", "plantA", filter));

    [Theory]
    [InlineData("acme/mes/plantA/line/m/state", true)]
    [InlineData("acme/mes/plantB/line/m/state", false)]
    public void A_prefix_of_several_levels_works_the_same(string topic, bool allowed)
    {
        Assert.Equal(allowed, TelemetryTopicAccess.MayPublish("acme/mes", "plantA", topic));
        Assert.Equal(allowed, TelemetryTopicAccess.MaySubscribe("acme/mes", "plantA", topic));
        Assert.False(TelemetryTopicAccess.MaySubscribe("acme/mes", "plantA", "acme/+/#"));
        Assert.True(TelemetryTopicAccess.MaySubscribe("acme/mes", "plantA", "acme/other/#"));
    }
}
