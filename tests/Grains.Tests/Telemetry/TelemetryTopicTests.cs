using MesOrleans.Plant;
using MesOrleans.Telemetry;

namespace MesOrleans.Tests.Telemetry;

public sealed class TelemetryTopicTests
{
    private static readonly EquipmentPath Press = EquipmentPath.ForMachine("plant1", "assembly", "press-3");

    [Theory]
    [InlineData("mes/plant1/assembly/press-3/state", "mes", TelemetrySignal.State)]
    [InlineData("mes/plant1/assembly/press-3/count", "mes", TelemetrySignal.Count)]
    [InlineData("acme/mes/plant1/assembly/press-3/count", "acme/mes", TelemetrySignal.Count)]
    [InlineData("a/b/c/plant1/assembly/press-3/state", "a/b/c", TelemetrySignal.State)]
    public void Parses_the_machine_and_the_signal_after_the_prefix(string topic, string prefix, TelemetrySignal signal)
    {
        var parsed = TelemetryTopic.Parse(topic, prefix);

        Assert.True(parsed.IsValid);
        Assert.Equal(Press, parsed.Machine);
        Assert.Equal(signal, parsed.Signal);
        Assert.Null(parsed.Detail);
    }

    [Theory]
    [InlineData("other/plant1/assembly/press-3/state")] // another prefix.
    [InlineData("mesx/plant1/assembly/press-3/state")] // the prefix is whole levels.
    [InlineData("acme/mes/plant1/assembly/press-3/state")] // more levels before the site.
    [InlineData("mes")]
    [InlineData("mes/")]
    [InlineData("")]
    [InlineData("mes/plant1/assembly/state")] // too few levels.
    [InlineData("mes/plant1/assembly/press-3/x/state")] // too many.
    [InlineData("mes/plant1/assembly/press-3/state/")] // a trailing empty level.
    [InlineData("mes//assembly/press-3/state")] // an empty id.
    [InlineData("mes/plant 1/assembly/press-3/state")]
    [InlineData("mes/plant1/assembly/press+3/state")]
    [InlineData("mes/plant1/assembly/préss/state")]
    [InlineData("mes/plant1/assembly/#/state")]
    [InlineData("/mes/plant1/assembly/press-3/state")]
    public void Rejects_topics_of_another_shape_or_with_invalid_ids(string topic)
    {
        var parsed = TelemetryTopic.Parse(topic, "mes");

        Assert.Equal(TelemetryRejectReason.BadTopic, parsed.Reject);
        Assert.Null(parsed.Machine);
        Assert.False(string.IsNullOrWhiteSpace(parsed.Detail));
    }

    [Fact]
    public void Rejects_an_id_longer_than_64_characters()
    {
        var parsed = TelemetryTopic.Parse($"mes/plant1/assembly/{new string('p', 65)}/state", "mes");

        Assert.Equal(TelemetryRejectReason.BadTopic, parsed.Reject);
        Assert.True(TelemetryTopic.Parse($"mes/plant1/assembly/{new string('p', 64)}/state", "mes").IsValid);
    }

    [Theory]
    [InlineData("mes/plant1/assembly/press-3/temperature")]
    [InlineData("mes/plant1/assembly/press-3/State")] // MQTT topics are case-sensitive.
    [InlineData("mes/plant1/assembly/press-3/")]
    public void Names_the_machine_of_an_unknown_signal(string topic)
    {
        var parsed = TelemetryTopic.Parse(topic, "mes");

        Assert.Equal(TelemetryRejectReason.UnknownSignal, parsed.Reject);
        Assert.Equal(Press, parsed.Machine);
    }

    [Theory]
    [InlineData("mes", true)]
    [InlineData("acme/mes", true)]
    [InlineData("factory_1/mes-v2", true)]
    [InlineData("", false)]
    [InlineData("/mes", false)]
    [InlineData("mes/", false)]
    [InlineData("acme//mes", false)]
    [InlineData("mes/+", false)]
    [InlineData("#", false)]
    public void Knows_a_valid_prefix(string prefix, bool valid) => Assert.Equal(valid, TelemetryTopic.IsValidPrefix(prefix));

    [Fact]
    public void Formats_topics_and_the_subscription_filter_that_parse_back()
    {
        var topic = TelemetryTopic.Format("acme/mes", Press, TelemetrySignal.Count);

        Assert.Equal("acme/mes/plant1/assembly/press-3/count", topic);
        Assert.Equal("acme/mes/+/+/+/+", TelemetryTopic.SubscriptionFilter("acme/mes"));
        Assert.Equal(new TelemetryTopic(Press, TelemetrySignal.Count, null, null), TelemetryTopic.Parse(topic, "acme/mes"));
        Assert.Throws<ArgumentException>(() => TelemetryTopic.Format("mes", Press.LinePath, TelemetrySignal.State));
    }
}
