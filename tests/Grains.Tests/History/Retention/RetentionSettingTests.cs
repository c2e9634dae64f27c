using MesOrleans.Hosting;

namespace MesOrleans.Tests.History.Retention;

public sealed class RetentionSettingTests
{
    [Theory]
    [InlineData(null, 7, true)]
    [InlineData(30, 7, true)]
    [InlineData(29, 7, false)]
    [InlineData(-1, 7, false)]
    [InlineData(40, 40, false)]
    [InlineData(41, 40, true)]
    public void The_retention_is_at_least_thirty_days_and_longer_than_the_oldest_event_accepted(int? days, int maxEventAgeDays, bool valid)
    {
        var options = new MesOptions { History = { RetentionDays = days }, Telemetry = { MaxEventAge = TimeSpan.FromDays(maxEventAgeDays) } };
        var result = new MesOptionsValidator().Validate(null, options);
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Mes:History:RetentionDays", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
