using System.Text.Json;
using System.Text.Json.Serialization;
using MesOrleans.Machines;
using MesOrleans.Telemetry;
using static MesOrleans.Telemetry.TelemetryClassification;

namespace MesOrleans.Tests.Telemetry;

public sealed class CounterTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_count_is_the_baseline_and_counts_nothing()
    {
        var decision = CounterTracker.Decide(new TelemetryCursor(), Count(0, 12345, 17));

        Assert.Equal((Baseline, 0L, 0L), Outcome(decision));
        Assert.Equal(new TelemetryCursor { Total = 12345, Scrap = 17, CountTimestamp = At(0) }, decision.Cursor);
    }

    [Fact]
    public void A_newer_count_adds_its_rise()
    {
        var decision = Run(Count(0, 100, 5), Count(10, 130, 7)).Last();

        Assert.Equal((Applied, 30L, 2L), Outcome(decision));
        Assert.Equal(new TelemetryCursor { Total = 130, Scrap = 7, CountTimestamp = At(10) }, decision.Cursor);
    }

    [Fact]
    public void A_repeated_count_counts_once()
    {
        var decisions = Run(Count(0, 100, 5), Count(10, 130, 7), Count(10, 130, 7), Count(10, 130));

        Assert.Equal([(Baseline, 0L, 0L), (Applied, 30L, 2L), (Duplicate, 0L, 0L), (Duplicate, 0L, 0L)], decisions.Select(Outcome));
        Assert.Equal(decisions[1].Cursor, decisions[3].Cursor);
    }

    [Fact]
    public void A_lost_count_is_caught_up_by_the_next()
    {
        // The count at 10 s (total 110, scrap 6) never arrived.
        var decision = Run(Count(0, 100, 5), Count(20, 125, 9)).Last();

        Assert.Equal((Applied, 25L, 4L), Outcome(decision));
    }

    [Fact]
    public void A_newer_count_below_the_last_is_a_reset_whose_value_is_the_delta()
    {
        var decisions = Run(Count(0, 5000, 40), Count(10, 5010, 41), Count(20, 7, 1), Count(30, 12, 1));

        Assert.Equal([(Baseline, 0L, 0L), (Applied, 10L, 1L), (Reset, 7L, 1L), (Applied, 5L, 0L)], decisions.Select(Outcome));
        Assert.Equal(new TelemetryCursor { Total = 12, Scrap = 1, CountTimestamp = At(30) }, decisions[^1].Cursor);
    }

    [Fact]
    public void A_reset_without_scrap_adds_no_scrap_and_a_lower_scrap_later_counts_as_its_own_reset()
    {
        var decisions = Run(Count(0, 5000, 40), Count(10, 3), Count(20, 9, 2));

        Assert.Equal([(Baseline, 0L, 0L), (Reset, 3L, 0L), (Applied, 6L, 2L)], decisions.Select(Outcome));
        Assert.Equal(40, decisions[1].Cursor.Scrap);
    }

    [Fact]
    public void An_older_count_arriving_late_is_out_of_order_not_a_reset()
    {
        var decisions = Run(Count(0, 100, 5), Count(20, 130, 7), Count(10, 110, 6));

        Assert.Equal((OutOfOrder, 0L, 0L), Outcome(decisions[2]));
        Assert.True(decisions[2].IsDuplicate);
        Assert.Equal(decisions[1].Cursor, decisions[2].Cursor);
    }

    [Fact]
    public void An_older_count_with_the_same_values_is_a_duplicate()
    {
        var decision = Run(Count(0, 100, 5), Count(20, 130, 7), Count(10, 130, 7)).Last();

        Assert.Equal((Duplicate, 0L, 0L), Outcome(decision));
    }

    [Fact]
    public void A_newer_count_with_the_same_values_moves_the_time_on()
    {
        var decision = Run(Count(0, 100, 5), Count(10, 100, 5)).Last();

        Assert.Equal((Applied, 0L, 0L), Outcome(decision));
        Assert.Equal(At(10), decision.Cursor.CountTimestamp);
    }

    [Fact]
    public void At_the_same_time_a_rise_counts_and_a_fall_is_taken_as_the_older_message()
    {
        var rise = Run(Count(0, 100, 5), Count(0, 104, 5)).Last();
        var fall = Run(Count(0, 100, 5), Count(0, 96, 5)).Last();
        var scrapFall = Run(Count(0, 100, 5), Count(0, 100, 3)).Last();

        Assert.Equal((Applied, 4L, 0L), Outcome(rise));
        Assert.Equal((OutOfOrder, 0L, 0L), Outcome(fall));
        Assert.Equal((OutOfOrder, 0L, 0L), Outcome(scrapFall));
    }

    [Fact]
    public void An_absent_scrap_is_unchanged_and_the_next_scrap_counts_from_the_last_one_known()
    {
        var decisions = Run(Count(0, 100, 5), Count(10, 120), Count(20, 130, 9));

        Assert.Equal([(Baseline, 0L, 0L), (Applied, 20L, 0L), (Applied, 10L, 4L)], decisions.Select(Outcome));
        Assert.Equal(5, decisions[1].Cursor.Scrap);
    }

    [Fact]
    public void The_first_scrap_ever_is_its_own_baseline()
    {
        var decisions = Run(Count(0, 100), Count(10, 120), Count(20, 130, 9), Count(30, 140, 10));

        Assert.Equal([(Baseline, 0L, 0L), (Applied, 20L, 0L), (Applied, 10L, 0L), (Applied, 10L, 1L)], decisions.Select(Outcome));
    }

    [Fact]
    public void A_scrap_below_the_last_while_the_total_rises_is_a_reset_of_the_scrap_counter_alone()
    {
        var decision = Run(Count(0, 100, 50), Count(10, 120, 3)).Last();

        Assert.Equal((Applied, 20L, 3L), Outcome(decision));
        Assert.Equal(3, decision.Cursor.Scrap);
    }

    [Fact]
    public void Scrap_recorded_late_may_exceed_the_total_delta()
    {
        var decision = Run(Count(0, 100, 5), Count(10, 101, 9)).Last();

        Assert.Equal((Applied, 1L, 4L), Outcome(decision));
    }

    [Fact]
    public void A_sequence_at_or_below_the_last_and_not_newer_is_a_duplicate_across_signals()
    {
        var decisions = Run(
            Count(0, 100, 5, seq: 17),
            State(0, seq: 17), // the same number on the other signal.
            Count(10, 130, 7, seq: 18),
            Count(5, 999, 9, seq: 16), // older and lower: a late repeat, whatever it says.
            State(10, seq: 18));

        Assert.Equal(
            [(Baseline, 0L, 0L), (Duplicate, 0L, 0L), (Applied, 30L, 2L), (Duplicate, 0L, 0L), (Duplicate, 0L, 0L)],
            decisions.Select(Outcome));
        Assert.Equal(new TelemetryCursor { Total = 130, Scrap = 7, CountTimestamp = At(10), Sequence = 18, SequenceTimestamp = At(10) },
            decisions[^1].Cursor);
    }

    [Fact]
    public void A_lower_sequence_with_a_newer_time_is_a_restarted_sender_and_numbering_goes_on_from_it()
    {
        var decisions = Run(
            Count(0, 100, 5, seq: 500),
            Count(10, 110, 5, seq: 1), // restarted.
            Count(20, 115, 6, seq: 2),
            Count(20, 115, 6, seq: 2),
            State(30, seq: 3));

        Assert.Equal(
            [(Baseline, 0L, 0L), (Applied, 10L, 0L), (Applied, 5L, 1L), (Duplicate, 0L, 0L), (Applied, 0L, 0L)],
            decisions.Select(Outcome));
        Assert.Equal((3L, At(30)), (decisions[^1].Cursor.Sequence!.Value, decisions[^1].Cursor.SequenceTimestamp!.Value));
    }

    [Fact]
    public void A_late_message_with_a_higher_sequence_does_not_let_repeats_of_newer_ones_through()
    {
        // Sent before a restart, delivered after it: a higher number but an older time.
        var decisions = Run(State(10, seq: 1), State(0, seq: 90), State(10, seq: 1));

        Assert.Equal([Applied, Applied, Duplicate], decisions.Select(d => d.Classification));
        Assert.Equal((90L, At(10)), (decisions[1].Cursor.Sequence!.Value, decisions[1].Cursor.SequenceTimestamp!.Value));
    }

    [Fact]
    public void Messages_without_a_sequence_skip_the_sequence_check()
    {
        var decisions = Run(State(10, seq: 5), State(0), Count(0, 10, 1), Count(5, 12, 1));

        Assert.Equal([Applied, Applied, Baseline, Applied], decisions.Select(d => d.Classification));
        Assert.Equal(5, decisions[^1].Cursor.Sequence);
    }

    [Fact]
    public void State_messages_leave_the_counters_alone()
    {
        var decisions = Run(Count(0, 100, 5), State(20), Count(10, 110, 5));

        Assert.Equal([Baseline, Applied, Applied], decisions.Select(d => d.Classification));
        Assert.Equal(10, decisions[2].TotalDelta);
    }

    [Fact]
    public void The_cursor_survives_grain_storage_s_JSON()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General) { Converters = { new JsonStringEnumConverter() } };
        var cursor = new TelemetryCursor
        {
            Total = 1_000_000_000_000_000,
            Scrap = 17,
            CountTimestamp = At(10),
            Sequence = long.MaxValue,
            SequenceTimestamp = At(20).ToOffset(TimeSpan.FromHours(2)),
        };

        Assert.Equal(cursor, JsonSerializer.Deserialize<TelemetryCursor>(JsonSerializer.Serialize(cursor, options), options));
        Assert.Equal(new TelemetryCursor(), JsonSerializer.Deserialize<TelemetryCursor>("{}", options));
    }

    private static List<TelemetryDecision> Run(params TelemetryEvent[] events)
    {
        var cursor = new TelemetryCursor();
        var decisions = new List<TelemetryDecision>();
        foreach (var telemetryEvent in events)
        {
            var decision = CounterTracker.Decide(cursor, telemetryEvent);
            decisions.Add(decision);
            cursor = decision.Cursor;
        }

        return decisions;
    }

    private static (TelemetryClassification, long, long) Outcome(TelemetryDecision decision) =>
        (decision.Classification, decision.TotalDelta, decision.ScrapDelta);

    private static TelemetryEvent Count(int second, long total, long? scrap = null, long? seq = null) =>
        new("plant1/assembly/press-3", TelemetrySignal.Count, At(second), At(second)) { Total = total, Scrap = scrap, Sequence = seq };

    private static TelemetryEvent State(int second, long? seq = null) =>
        new("plant1/assembly/press-3", TelemetrySignal.State, At(second), At(second)) { State = MachineState.Running, Sequence = seq };

    private static DateTimeOffset At(int second) => T0.AddSeconds(second);
}
