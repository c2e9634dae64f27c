using System.Text.Json;
using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Telemetry;
using MesOrleans.Tests.Plant;

namespace MesOrleans.Tests.Machines;

public sealed class MachineLedgerTests
{
    private static readonly EquipmentPath Press = EquipmentPath.Parse("plant1/assembly/press-1");
    private static readonly PlantView Plant = new(new PlantModelSnapshot(1, TestPlant.Valid, []));

    // 08:00 in Berlin on a Wednesday: inside the early shift.
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Events_are_numbered_one_after_another_from_the_snapshot_on()
    {
        var ledger = NewLedger(new MachineGrainState { LastSequence = 41 });

        var first = ledger.Record(ledger.NewEvent(MachineEventKind.StateChanged, Now, EventSource.Operator, Now) with { State = MachineState.Running });
        var second = ledger.Record(ledger.NewEvent(MachineEventKind.Counted, Now, EventSource.Operator, Now) with { TotalDelta = 3 });

        Assert.Equal((42, 43), (first.Sequence, second.Sequence));
        Assert.Equal(43, ledger.LastSequence);
        Assert.Equal([first, second], ledger.TakeUnwritten());
        Assert.Empty(ledger.TakeUnwritten());
    }

    [Fact]
    public void A_message_delivered_again_after_a_crash_is_recognised_by_its_queue_id_and_changes_nothing()
    {
        var ledger = NewLedger(new MachineGrainState { LastSequence = 0 });
        var counts = Enumerable.Range(1, 10).Select(i => Count(Now.AddSeconds(i), total: 100 + (i * 5))).ToList();
        for (var i = 0; i < counts.Count; i++)
        {
            ledger.ApplyTelemetry(counts[i], queueOffset: 1_000 + i, Now);
        }

        var written = ledger.TakeUnwritten();
        Assert.NotNull(ledger.TakeWatermark());
        var total = ledger.State.ShiftTotal;

        var outcomes = counts.Skip(4).Select((c, i) => ledger.ApplyTelemetry(c, queueOffset: 1_004 + i, Now)).ToList();

        Assert.All(outcomes, o => Assert.Equal(TelemetryOutcome.Redelivered, o));
        Assert.Equal(45, total);
        Assert.Equal(total, ledger.State.ShiftTotal);
        Assert.Empty(ledger.TakeUnwritten());
        Assert.Null(ledger.TakeWatermark());
        // The baseline counts nothing; nine counts, and the first of them set the count-only machine running.
        Assert.Equal(10, written.Count);
    }

    [Fact]
    public void State_rebuilt_from_the_log_and_the_watermark_is_the_state_that_was_live()
    {
        var random = new Random(7);
        var live = NewLedger(new MachineGrainState { LastSequence = 0 });
        var log = new List<MachineEvent>();
        TelemetryWatermark? watermark = null;
        long total = 0, scrap = 0, offset = 500;
        var states = new[] { MachineState.Running, MachineState.Down, MachineState.Idle, MachineState.Running, MachineState.Changeover };
        for (var i = 0; i < 400; i++)
        {
            var at = Now.AddSeconds(i * 3);
            var message = random.Next(5) switch
            {
                0 => State(at, states[random.Next(states.Length)], random.Next(3) == 0 ? "E12" : null),
                1 when random.Next(10) == 0 => Count(at, total = random.Next(5), scrap = 0),
                _ => Count(at, total += random.Next(4), scrap += random.Next(2)),
            };
            live.ApplyTelemetry(message, offset++, at);
            if (random.Next(30) == 0)
            {
                live.Record(live.NewEvent(MachineEventKind.Counted, at, EventSource.Operator, at) with { ScrapDelta = 2, ReasonCode = "S01", Actor = "Anna" });
            }

            // Appends happen per delivered batch.
            if (random.Next(4) == 0)
            {
                log.AddRange(live.TakeUnwritten());
                watermark = live.TakeWatermark() ?? watermark;
            }
        }

        log.AddRange(live.TakeUnwritten());
        watermark = live.TakeWatermark() ?? watermark;

        var rebuilt = NewLedger(new MachineGrainState { LastSequence = 0 });
        log.ForEach(rebuilt.Replay);
        rebuilt.RestoreWatermark(watermark!);

        Assert.Equal(Enumerable.Range(1, log.Count).Select(n => (long)n), log.Select(e => e.Sequence));
        Assert.Equal(JsonSerializer.Serialize(live.State), JsonSerializer.Serialize(rebuilt.State));
        Assert.Equal(live.ShiftOee(Now.AddHours(1)), rebuilt.ShiftOee(Now.AddHours(1)));
    }

    [Fact]
    public void A_repeated_state_changes_nothing_but_moves_the_watermark()
    {
        var ledger = NewLedger(new MachineGrainState { LastSequence = 0 });
        Assert.Equal(TelemetryOutcome.StateChanged, ledger.ApplyTelemetry(State(Now, MachineState.Running, null), 1, Now));
        ledger.TakeUnwritten();
        ledger.TakeWatermark();

        Assert.Equal(TelemetryOutcome.Unchanged, ledger.ApplyTelemetry(State(Now.AddSeconds(5), MachineState.Running, null), 2, Now));

        Assert.Empty(ledger.TakeUnwritten());
        Assert.Equal(2, ledger.TakeWatermark()!.QueueOffset);
    }

    private static MachineLedger NewLedger(MachineGrainState state)
    {
        state.Config ??= PlantView.ConfigOf(Plant.Machine(Press)!);
        return new MachineLedger(Press, state) { Plant = Plant };
    }

    private static TelemetryEvent Count(DateTimeOffset at, long total, long? scrap = null) =>
        new(Press.ToString(), TelemetrySignal.Count, at, at) { Total = total, Scrap = scrap };

    private static TelemetryEvent State(DateTimeOffset at, MachineState state, string? reason) =>
        new(Press.ToString(), TelemetrySignal.State, at, at) { State = state, ReasonCode = reason };
}
