namespace MesOrleans.Simulator.Tests.Publishing;

public sealed class BrokerEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:1883", "127.0.0.1", 1883)]
    [InlineData("broker.local:8883", "broker.local", 8883)]
    [InlineData("localhost", "localhost", 1883)]
    [InlineData("[::1]:1884", "::1", 1884)]
    [InlineData("[::1]", "::1", 1883)]
    [InlineData("::1", "::1", 1883)]
    public void Parses_host_and_port(string text, string host, int port)
    {
        Assert.True(BrokerEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(new BrokerEndpoint(host, port), endpoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":1883")]
    [InlineData("host:")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:port")]
    [InlineData("[::1")]
    [InlineData("mqtt://host:1883")]
    public void Refuses_what_is_not_an_address(string text) => Assert.False(BrokerEndpoint.TryParse(text, out _));

    [Fact]
    public void Prints_as_it_parses()
    {
        Assert.Equal("127.0.0.1:1883", new BrokerEndpoint("127.0.0.1", 1883).ToString());
        Assert.Equal("[::1]:1883", new BrokerEndpoint("::1", 1883).ToString());
    }
}
