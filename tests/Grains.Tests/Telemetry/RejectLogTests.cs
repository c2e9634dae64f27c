using MesOrleans.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace MesOrleans.Tests.Telemetry;

public sealed class RejectLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero));
    private readonly CapturingLogger<RejectLog> _logger = new();
    private readonly RejectLog _log;

    public RejectLogTests() => _log = new RejectLog(_logger, _time);

    [Fact]
    public void Logs_the_first_reject_of_a_reason_at_once_as_a_warning()
    {
        _log.Record(TelemetryRejectReason.MalformedJson, "mes/plant1/assembly/press-3/count", "payload is empty");

        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(
            "Dropped telemetry (malformedJson) on mes/plant1/assembly/press-3/count: payload is empty; "
            + "0 more with this reason since the last report were not logged",
            entry.Message);
    }

    [Fact]
    public void Logs_at_most_one_line_per_reason_per_10_seconds_and_says_how_many_it_left_out()
    {
        for (var i = 0; i < 500; i++)
        {
            _log.Record(TelemetryRejectReason.MalformedJson, "mes/a/b/c/count", "payload is empty");
        }

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        _log.Record(TelemetryRejectReason.MalformedJson, "mes/a/b/c/count", "payload is empty");
        Assert.Single(_logger.Entries);

        _time.Advance(TimeSpan.FromTicks(1));
        _log.Record(TelemetryRejectReason.MalformedJson, "mes/a/b/c/state", "payload is not a JSON object");
        _log.Record(TelemetryRejectReason.MalformedJson, "mes/a/b/c/state", "payload is not a JSON object");

        Assert.Equal([0L, 500L], _logger.Entries.Select(entry => (long)entry.Values["Suppressed"]!));
        Assert.Equal("mes/a/b/c/state", _logger.Entries[^1].Values["Topic"]);

        _time.Advance(TimeSpan.FromMinutes(5));
        _log.Record(TelemetryRejectReason.MalformedJson, "mes/a/b/c/count", "payload is empty");
        Assert.Equal(1L, _logger.Entries[^1].Values["Suppressed"]);
    }

    [Fact]
    public void Each_reason_has_its_own_allowance()
    {
        _log.Record(TelemetryRejectReason.MalformedJson, "mes/a/b/c/count", "payload is empty");
        _log.Record(TelemetryRejectReason.TooOld, "mes/a/b/c/count", "ts is old");
        _log.Record(TelemetryRejectReason.MalformedJson, "mes/a/b/c/count", "payload is empty");
        _log.Record(TelemetryRejectReason.UnknownMachine, "mes/a/b/x/count", "'a/b/x' is not in the plant model");

        Assert.Equal(["malformedJson", "tooOld", "unknownMachine"], _logger.Entries.Select(entry => entry.Values["Reason"]));
    }

    [Fact]
    public void Shortens_an_absurdly_long_topic()
    {
        _log.Record(TelemetryRejectReason.BadTopic, new string('x', 70_000), "topic does not start with 'mes/'");

        var topic = Assert.IsType<string>(_logger.Entries.Single().Values["Topic"]);
        Assert.Equal(new string('x', 200) + "…", topic);
    }
}
