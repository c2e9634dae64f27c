using System.Buffers;
using System.Globalization;
using System.Text;
using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Telemetry;

namespace MesOrleans.Tests.Telemetry;

public sealed class TelemetryParserTests
{
    private const string StateTopic = "mes/plant1/assembly/press-3/state";
    private const string CountTopic = "mes/plant1/assembly/press-3/count";
    private const string Ts = "2026-11-25T06:00:00Z";

    private static readonly EquipmentPath Press = EquipmentPath.ForMachine("plant1", "assembly", "press-3");
    private static readonly DateTimeOffset Sent = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Arrived = Sent.AddSeconds(2);
    private static readonly TimeSpan MaxEventAge = TimeSpan.FromDays(7);
    private static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);

    private readonly TelemetryParser _parser = new(new TelemetryParserSettings("mes", MaxEventAge, MaxFutureSkew), machine => machine == Press);

    [Fact]
    public void Parses_a_state_message()
    {
        var result = Parse(StateTopic, $$"""{"ts":"{{Ts}}","state":"down","reason":"E12","seq":17}""");

        Assert.Null(result.Reject);
        Assert.Equal(Press, result.Machine);
        var parsed = Assert.IsType<TelemetryEvent>(result.Event);
        Assert.Equal(
            new TelemetryEvent("plant1/assembly/press-3", TelemetrySignal.State, Sent, Arrived)
            {
                State = MachineState.Down,
                ReasonCode = "E12",
                Sequence = 17,
            },
            parsed);
    }

    [Fact]
    public void Parses_a_count_message()
    {
        var result = Parse(CountTopic, $$"""{"ts":"{{Ts}}","total":12345,"scrap":17,"seq":18}""");

        Assert.Equal(
            new TelemetryEvent("plant1/assembly/press-3", TelemetrySignal.Count, Sent, Arrived) { Total = 12345, Scrap = 17, Sequence = 18 },
            result.Event);
    }

    [Fact]
    public void Optional_fields_may_be_absent_or_null()
    {
        var state = Parse(StateTopic, $$"""{"ts":"{{Ts}}","state":"idle"}""").Event!;
        var count = Parse(CountTopic, $$"""{"total":5,"ts":"{{Ts}}","scrap":null,"seq":null}""").Event!;

        Assert.Equal((MachineState.Idle, null, null), (state.State, state.ReasonCode, state.Sequence));
        Assert.Equal((5L, null, null), (count.Total, count.Scrap, count.Sequence));
    }

    [Theory]
    [InlineData("running", MachineState.Running)]
    [InlineData("IDLE", MachineState.Idle)]
    [InlineData("Down", MachineState.Down)]
    [InlineData("planned", MachineState.Planned)]
    [InlineData("ChangeOver", MachineState.Changeover)]
    [InlineData("offline", MachineState.Offline)]
    [InlineData("\\u0064own", MachineState.Down)]
    public void Reads_states_in_any_case(string state, MachineState expected) =>
        Assert.Equal(expected, Parse(StateTopic, $$"""{"ts":"{{Ts}}","state":"{{state}}"}""").Event?.State);

    [Fact]
    public void Ignores_unknown_properties_and_the_other_signal_s_fields()
    {
        var result = Parse(
            StateTopic,
            $$"""{"fw":"1.2","ts":"{{Ts}}","meta":{"a":[1,{"b":null}],"c":true},"state":"running","total":"not mine","x":-1.5e3}""");

        Assert.Equal(MachineState.Running, result.Event?.State);
        Assert.Null(result.Event?.Total);
    }

    [Fact]
    public void Takes_the_last_of_repeated_properties_and_reads_escaped_names()
    {
        var result = Parse(CountTopic, $$"""{"ts":"{{Ts}}","total":1,"tot\u0061l":2,"scrap":1}""");

        Assert.Equal(2, result.Event?.Total);
    }

    [Theory]
    [InlineData("E12", "E12")]
    [InlineData("", null)]
    [InlineData("\\u0045\\u0031\\u0032", "E12")]
    [InlineData("12345678901234567890123456789012", "12345678901234567890123456789012")]
    [InlineData("éééééééééééééééééééééééééééééééé", "éééééééééééééééééééééééééééééééé")]
    public void Accepts_reasons_of_up_to_32_characters(string reason, string? expected) =>
        Assert.Equal(expected, Parse(StateTopic, $$"""{"ts":"{{Ts}}","state":"down","reason":"{{reason}}"}""").Event?.ReasonCode);

    [Theory]
    [InlineData(StateTopic, """ "state":"exploded" """, "state 'exploded' is not one of running, idle, down, planned, changeover, offline")]
    [InlineData(StateTopic, """ "state":"running-fast-and-furiously" """, "state is not one of running, idle, down, planned, changeover, offline")]
    [InlineData(StateTopic, """ "state":3 """, "state must be a string: one of running, idle, down, planned, changeover, offline")]
    [InlineData(StateTopic, """ "state":"down","reason":"123456789012345678901234567890123" """, "reason is longer than 32 characters")]
    [InlineData(StateTopic, """ "state":"down","reason":12 """, "reason must be a string")]
    [InlineData(StateTopic, """ "state":"down","seq":-1 """, "seq must be a whole number from 0 to 9223372036854775807")]
    [InlineData(StateTopic, """ "state":"down","seq":1.5 """, "seq must be a whole number from 0 to 9223372036854775807")]
    [InlineData(StateTopic, """ "state":"down","seq":"17" """, "seq must be a whole number from 0 to 9223372036854775807")]
    [InlineData(CountTopic, """ "total":-1 """, "total must be a whole number from 0 to 1000000000000000")]
    [InlineData(CountTopic, """ "total":12.5 """, "total must be a whole number from 0 to 1000000000000000")]
    [InlineData(CountTopic, """ "total":1e3 """, "total must be a whole number from 0 to 1000000000000000")]
    [InlineData(CountTopic, """ "total":"12" """, "total must be a whole number from 0 to 1000000000000000")]
    [InlineData(CountTopic, """ "total":[12] """, "total must be a whole number from 0 to 1000000000000000")]
    [InlineData(CountTopic, """ "total":1000000000000001 """, "total must be a whole number from 0 to 1000000000000000")]
    [InlineData(CountTopic, """ "total":99999999999999999999999999 """, "total must be a whole number from 0 to 1000000000000000")]
    [InlineData(CountTopic, """ "total":10,"scrap":-1 """, "scrap must be a whole number from 0 to 1000000000000000")]
    [InlineData(CountTopic, """ "total":10,"scrap":true """, "scrap must be a whole number from 0 to 1000000000000000")]
    [InlineData(CountTopic, """ "total":10,"scrap":11 """, "scrap 11 is more than total 10")]
    public void Rejects_invalid_fields_with_a_detail(string topic, string fields, string detail)
    {
        var result = Parse(topic, $$"""{"ts":"{{Ts}}",{{fields}}}""");

        Assert.Equal((TelemetryRejectReason.InvalidField, detail), (result.Reject, result.Detail));
        Assert.Null(result.Event);
        Assert.Equal(Press, result.Machine);
    }

    [Fact]
    public void Accepts_the_largest_total_and_scrap_equal_to_total()
    {
        var result = Parse(CountTopic, $$"""{"ts":"{{Ts}}","total":1000000000000000,"scrap":1000000000000000}""");

        Assert.Equal((1_000_000_000_000_000L, 1_000_000_000_000_000L), (result.Event?.Total, result.Event?.Scrap));
    }

    [Theory]
    [InlineData(StateTopic, """{"state":"down"}""", "ts is required")]
    [InlineData(StateTopic, """{"ts":null,"state":"down"}""", "ts is required")]
    [InlineData(StateTopic, $$"""{"ts":"{{Ts}}","reason":"E12"}""", "state is required")]
    [InlineData(StateTopic, $$"""{"ts":"{{Ts}}","state":null}""", "state is required")]
    [InlineData(CountTopic, $$"""{"ts":"{{Ts}}","scrap":1}""", "total is required")]
    [InlineData(CountTopic, $$"""{"ts":"{{Ts}}","state":"down","Total":3}""", "total is required")]
    public void Rejects_missing_fields(string topic, string json, string detail) =>
        Assert.Equal((TelemetryRejectReason.MissingField, detail), Reject(Parse(topic, json)));

    [Theory]
    [InlineData("2026-11-25T06:00:00")] // no offset: the instant would depend on the server's time zone.
    [InlineData("2026-11-25T06:00:00.123")]
    [InlineData("2026-11-25")]
    [InlineData("2026-11-25 06:00:00Z")]
    [InlineData("2026-11-25t06:00:00z")]
    [InlineData("25.11.2026 06:00")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void Rejects_timestamps_that_are_not_ISO_8601_with_an_offset(string ts) =>
        Assert.Equal(TelemetryRejectReason.InvalidField, Parse(StateTopic, $$"""{"ts":"{{ts}}","state":"down"}""").Reject);

    [Fact]
    public void Rejects_a_timestamp_that_is_not_a_string() =>
        Assert.Equal(TelemetryRejectReason.InvalidField, Parse(StateTopic, """{"ts":1795586400,"state":"down"}""").Reject);

    [Theory]
    [InlineData("2026-11-25T07:30:00+01:30")]
    [InlineData("2026-11-25T01:00:00-05:00")]
    [InlineData("2026-11-25T06:00:00.0000000+00:00")]
    [InlineData("2026-11-25T06:00Z")]
    public void Reads_offsets_and_keeps_the_instant_in_UTC(string ts)
    {
        var parsed = Parse(StateTopic, $$"""{"ts":"{{ts}}","state":"down"}""").Event!;

        Assert.Equal(Sent, parsed.Timestamp);
        Assert.Equal(TimeSpan.Zero, parsed.Timestamp.Offset);
    }

    [Fact]
    public void Accepts_events_exactly_at_the_age_and_skew_limits_and_rejects_one_tick_beyond()
    {
        var oldest = Arrived - MaxEventAge;
        var newest = Arrived + MaxFutureSkew;

        Assert.NotNull(ParseAt(oldest).Event);
        Assert.NotNull(ParseAt(newest).Event);
        Assert.Equal(TelemetryRejectReason.TooOld, ParseAt(oldest.AddTicks(-1)).Reject);
        Assert.Equal(TelemetryRejectReason.InFuture, ParseAt(newest.AddTicks(1)).Reject);
        Assert.Equal(TelemetryRejectReason.TooOld, ParseAt(DateTimeOffset.MinValue).Reject);
        Assert.Equal(TelemetryRejectReason.InFuture, ParseAt(DateTimeOffset.MaxValue).Reject);

        TelemetryParseResult ParseAt(DateTimeOffset ts) =>
            Parse(CountTopic, $$"""{"ts":"{{ts.ToString("O", CultureInfo.InvariantCulture)}}","total":1}""");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"2026-11-25T06:00:00Z\"")]
    [InlineData("not json")]
    [InlineData("{\"ts\":\"2026-11-25T06:00:00Z\",\"state\":\"down\"")]
    [InlineData("{\"ts\":\"2026-11-25T06:00:00Z\",\"state\":\"down\"}}")]
    [InlineData("{\"ts\":\"2026-11-25T06:00:00Z\",\"state\":\"down\"} {}")]
    [InlineData("{\"ts\":\"2026-11-25T06:00:00Z\",\"state\":\"down\",}")]
    [InlineData("{\"ts\":\"2026-11-25T06:00:00Z\",/* c */\"state\":\"down\"}")]
    [InlineData("{'ts':'2026-11-25T06:00:00Z','state':'down'}")]
    [InlineData("{\"ts\":\"2026-11-25T06:00:00Z\",\"state\":\"down\",\"\\ud800\":1}")] // an unpaired surrogate.
    [InlineData("{\"ts\":\"2026-11-25T06:00:00Z\",\"state\":\"down\",\"reason\":\"\\udc00\"}")]
    public void Rejects_malformed_payloads(string json) =>
        Assert.Equal(TelemetryRejectReason.MalformedJson, Parse(StateTopic, json).Reject);

    [Fact]
    public void Rejects_a_payload_that_is_not_UTF_8()
    {
        var bytes = Encoding.UTF8.GetBytes($$"""{"ts":"{{Ts}}","state":"down","reason":"E?"}""");
        bytes[Array.LastIndexOf(bytes, (byte)'?')] = 0xFF;

        Assert.Equal(TelemetryRejectReason.MalformedJson, _parser.Parse(StateTopic, new ReadOnlySequence<byte>(bytes), Arrived).Reject);
    }

    [Fact]
    public void Rejects_deep_nesting_even_in_a_property_it_ignores()
    {
        var nested = $$"""{"ts":"{{Ts}}","state":"down","x":{{new string('[', 500)}}{{new string(']', 500)}}}""";

        Assert.Equal(TelemetryRejectReason.MalformedJson, Parse(StateTopic, nested).Reject);
    }

    [Fact]
    public void Accepts_4_KB_and_rejects_one_byte_more()
    {
        var message = $$"""{"ts":"{{Ts}}","state":"down"}""";

        Assert.NotNull(Parse(StateTopic, message.PadRight(4096)).Event);
        var tooLarge = Parse(StateTopic, message.PadRight(4097));
        Assert.Equal((TelemetryRejectReason.PayloadTooLarge, "payload of 4097 bytes exceeds 4096"), Reject(tooLarge));
        Assert.Equal(Press, tooLarge.Machine);
    }

    [Fact]
    public void Reads_a_payload_split_across_buffers_at_any_byte()
    {
        var bytes = Encoding.UTF8.GetBytes($$$"""{"ts":"{{{Ts}}}","st\u0061te":"ChangeOver","reason":"Ré\u00e9","seq":17,"x":{"y":[1,2]}}""");
        var whole = _parser.Parse(StateTopic, new ReadOnlySequence<byte>(bytes), Arrived);

        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var split = _parser.Parse(StateTopic, Payloads.Split(bytes, cut, Math.Min(cut + 3, bytes.Length - 1)), Arrived);
            Assert.Equal(whole.Event, split.Event);
        }

        Assert.Equal((MachineState.Changeover, "Réé"), (whole.Event?.State, whole.Event?.ReasonCode));
    }

    [Fact]
    public void Names_the_machine_of_unknown_machines_and_signals_but_not_of_bad_topics()
    {
        var unknown = Parse("mes/plant1/assembly/press-9/state", $$"""{"ts":"{{Ts}}","state":"down"}""");
        var signal = Parse("mes/plant1/assembly/press-3/temperature", "{}");
        var badTopic = Parse("mes/plant1/press-3/state", "{}");

        Assert.Equal(
            (TelemetryRejectReason.UnknownMachine, "'plant1/assembly/press-9' is not in the plant model"),
            Reject(unknown));
        Assert.Equal(EquipmentPath.ForMachine("plant1", "assembly", "press-9"), unknown.Machine);
        Assert.Equal((TelemetryRejectReason.UnknownSignal, Press), (signal.Reject, signal.Machine));
        Assert.Equal((TelemetryRejectReason.BadTopic, null), (badTopic.Reject, badTopic.Machine));
    }

    [Fact]
    public void Uses_the_configured_prefix()
    {
        var parser = new TelemetryParser(new TelemetryParserSettings("acme/mes", MaxEventAge, MaxFutureSkew), _ => true);
        var json = Payloads.Of($$"""{"ts":"{{Ts}}","state":"down"}""");

        Assert.NotNull(parser.Parse("acme/mes/plant1/assembly/press-3/state", json, Arrived).Event);
        Assert.Equal(TelemetryRejectReason.BadTopic, parser.Parse(StateTopic, json, Arrived).Reject);
    }

    [Theory]
    [InlineData("mes/+", 1, 1)]
    [InlineData("", 1, 1)]
    [InlineData("mes", -1, 1)]
    [InlineData("mes", 1, -1)]
    public void Refuses_settings_that_make_no_sense(string prefix, int maxAgeHours, int maxSkewHours) =>
        Assert.ThrowsAny<ArgumentException>(() => new TelemetryParser(
            new TelemetryParserSettings(prefix, TimeSpan.FromHours(maxAgeHours), TimeSpan.FromHours(maxSkewHours)), _ => true));

    private static (TelemetryRejectReason?, string?) Reject(TelemetryParseResult result) => (result.Reject, result.Detail);

    private TelemetryParseResult Parse(string topic, string json) => _parser.Parse(topic, Payloads.Of(json), Arrived);
}
