using MesOrleans.Maintenance;

namespace MesOrleans.Tests.Maintenance;

public sealed class TicketIdTests
{
    [Theory]
    [InlineData("plant1", 42, "plant1-0042")]
    [InlineData("north-site", 7, "north-site-0007")]
    [InlineData("p", 123456, "p-123456")]
    public void Ids_are_the_site_and_a_number_of_at_least_four_digits(string site, int number, string id)
    {
        Assert.Equal(id, TicketId.Format(site, number));
        Assert.True(TicketId.TryParse(id, out var parsedSite, out var parsedNumber));
        Assert.Equal((site, number), (parsedSite, parsedNumber));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plant1")]
    [InlineData("plant1-")]
    [InlineData("-0042")]
    [InlineData("plant1-042")]
    [InlineData("plant1-00042")]
    [InlineData("plant1-0000")]
    [InlineData("plant1-+042")]
    [InlineData("plant 1-0042")]
    [InlineData("plant1/x-0042")]
    public void Anything_else_is_not_a_ticket_id(string? id) => Assert.False(TicketId.TryParse(id, out _, out _));
}
