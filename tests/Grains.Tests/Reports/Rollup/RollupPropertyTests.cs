using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports.Rollup;
using MesOrleans.Tests.Plant;
using Xunit.Abstractions;

namespace MesOrleans.Tests.Reports.Rollup;

/// <summary>
/// Rollups equal raw events: random machine histories — states out of order, counts, voids (twice, too), re-codes
/// and splits of stops long ended or still open — appended in random batches, projected as the writer projects them,
/// and read over random windows, give exactly the figures the raw events give.
/// </summary>
public sealed class RollupPropertyTests(ITestOutputHelper output)
{
    private static readonly PlantView Plant = new(new PlantModelSnapshot(1, TestPlant.Valid, []));
    private static readonly string[] Machines = RollupHistories.Machines;
    private static readonly DateTimeOffset Start = RollupHistories.Start;

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Figures_from_rollups_equal_figures_from_raw_events(int seed)
    {
        var random = new Random(seed);
        var rollups = new MemoryRollups(Plant);
        var history = RollupHistories.Generate(random, 400);
        for (var i = 0; i < history.Count;)
        {
            var batch = random.Next(1, 12);
            await rollups.AppendAsync(history.Skip(i).Take(batch));
            i += batch;
        }

        var end = rollups.Events.Max(e => e.Timestamp);
        for (var window = 0; window < 25; window++)
        {
            var now = end + TimeSpan.FromMinutes(random.Next(-30, 600));
            var from = Start + TimeSpan.FromMinutes(random.Next(-120, 60 * 60));
            var to = from + TimeSpan.FromMinutes(random.Next(1, 60 * 48));
            if (window % 5 == 0)
            {
                // Whole local days, as report presets ask.
                var days = Plant.CalendarOf("plant1");
                var day = days.LocalDate(from);
                (from, to) = (days.Day(day).Start, days.Day(day.AddDays(random.Next(1, 3))).Start);
            }

            var scope = window % 3 == 0 ? EquipmentPath.Parse(Machines[random.Next(Machines.Length)]) : window % 3 == 1 ? EquipmentPath.ForLine("plant1", "assembly") : EquipmentPath.ForSite("plant1");
            var shift = window % 7 == 3 ? "Night" : null;
            var expected = RawReport.Of(Plant, scope, rollups.Events, from, to, now, shift);
            var actual = await RawReport.FromRollupsAsync(rollups, Plant, new ReportRequest(scope, from, to) { Shift = shift }, now);
            var label = $"seed {seed}, {scope} [{from:O}, {to:O}) now {now:O} shift {shift}";
            output.WriteLine(label);
            AssertSame(expected, actual, label);
        }
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    /// <summary>
    /// What was filed under yesterday's calendar and settings is read under today's: a holiday entered later, a break
    /// moved, a new ideal cycle time and micro-stop threshold take effect at once, without filing anything again.
    /// </summary>
    [Theory]
    [InlineData(101)]
    [InlineData(102)]
    [InlineData(103)]
    public async Task Figures_follow_a_calendar_and_settings_changed_after_filing(int seed)
    {
        var random = new Random(seed);
        var rollups = new MemoryRollups(Plant);
        await rollups.AppendAsync(RollupHistories.Generate(random, 300));

        var changed = new PlantView(new PlantModelSnapshot(2, TestPlant.Valid with
        {
            Sites =
            [
                TestPlant.Valid.Sites[0] with
                {
                    Holidays = ["2026-03-29"],
                    Shifts =
                    [
                        TestPlant.Valid.Sites[0].Shifts[0] with { Breaks = [new BreakModel("10:00", "10:40")] },
                        .. TestPlant.Valid.Sites[0].Shifts.Skip(1),
                    ],
                    Lines =
                    [
                        TestPlant.Valid.Sites[0].Lines[0] with { Machines = [TestPlant.Valid.Sites[0].Lines[0].Machines[0] with { IdealCycleTimeSeconds = 12, MicroStopThresholdSeconds = 900 }, TestPlant.Valid.Sites[0].Lines[0].Machines[1]] },
                        .. TestPlant.Valid.Sites[0].Lines.Skip(1),
                    ],
                },
            ],
        }, []));

        var end = rollups.Events.Max(e => e.Timestamp);
        for (var window = 0; window < 12; window++)
        {
            var now = end + TimeSpan.FromMinutes(random.Next(0, 600));
            var from = Start + TimeSpan.FromMinutes(random.Next(-120, 60 * 60));
            var to = from + TimeSpan.FromMinutes(random.Next(60, 60 * 48));
            var scope = window % 2 == 0 ? EquipmentPath.ForSite("plant1") : EquipmentPath.Parse(Machines[0]);
            var expected = RawReport.Of(changed, scope, rollups.Events, from, to, now);
            var actual = await RawReport.FromRollupsAsync(rollups, changed, new ReportRequest(scope, from, to), now);
            AssertSame(expected, actual, $"seed {seed}, {scope} [{from:O}, {to:O}) now {now:O}, changed plant");
        }
    }

    internal static void AssertSame(RawReport.Figures expected, RawReport.Figures actual, string label)
    {
        var (e, a) = (expected.Oee, actual.Oee);
        Assert.True(e.PlannedBusyTime == a.PlannedBusyTime, $"{label}: PBT {e.PlannedBusyTime} ≠ {a.PlannedBusyTime}");
        Assert.True(e.RunTime == a.RunTime, $"{label}: run time {e.RunTime} ≠ {a.RunTime}");
        Assert.True((e.TotalCount, e.ScrapCount) == (a.TotalCount, a.ScrapCount), $"{label}: parts {e.TotalCount}/{e.ScrapCount} ≠ {a.TotalCount}/{a.ScrapCount}");
        Assert.True((e.IdealRunTime, e.IdealGoodTime) == (a.IdealRunTime, a.IdealGoodTime), $"{label}: ideal times");
        Assert.True(e.UnmonitoredTime == a.UnmonitoredTime, $"{label}: unmonitored {e.UnmonitoredTime} ≠ {a.UnmonitoredTime}");
        Assert.True(e.DataSince == a.DataSince, $"{label}: data since {e.DataSince} ≠ {a.DataSince}");
        Assert.True(e.CalendarTime == a.CalendarTime, $"{label}: calendar time");
        Assert.True(Describe(expected.Downtime) == Describe(actual.Downtime), $"{label}: downtime\n{Describe(expected.Downtime)}\n{Describe(actual.Downtime)}");
        Assert.True(Describe(expected.Scrap) == Describe(actual.Scrap), $"{label}: scrap\n{Describe(expected.Scrap)}\n{Describe(actual.Scrap)}");
    }

    private static string Describe<T>(IReadOnlyDictionary<string, T> amounts) =>
        string.Join("; ", amounts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
}
