using MesOrleans.Maintenance;

namespace MesOrleans.Tests.Maintenance;

public sealed class MaintenanceKpiCalculatorTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private const string A = "plant1/assembly/press-1";
    private const string B = "plant1/assembly/press-2";

    // Machine A: two breakdowns and one ticket by hand; machine B: one ticket by hand in the period, one breakdown
    // before it and one at its end. Times are minutes after midnight.
    private static readonly MaintenanceTicket[] Tickets =
    [
        Breakdown("t1", A, stop: 50, opened: 60, acknowledged: 65, resolved: 110),
        Breakdown("t2", A, stop: 298, opened: 300, acknowledged: 310, resolved: 328),
        Manual("t3", A, opened: 420, acknowledged: 450, resolved: null),
        Manual("t4", B, opened: 120, acknowledged: 140, resolved: 180),
        Breakdown("before", B, stop: -90, opened: -60, acknowledged: -30, resolved: 30),
        Breakdown("at-end", B, stop: 600, opened: 600, acknowledged: null, resolved: null),
    ];

    [Fact]
    public void Figures_per_machine_and_for_the_site_match_a_hand_calculation()
    {
        var kpis = MaintenanceKpiCalculator.Calculate("plant1", Tickets, Day, Day.AddHours(10)).WithRunTimes(RunTimes(a: 10, b: 9));

        // A: repairs 60 min (from the stop at 00:50) and 30 min (from 04:58); responses 5, 10 and 30 min; 10 h run / 2 breakdowns.
        var a = kpis.Machines.Single(m => m.Scope == A);
        Assert.Equal((3, 2, 3, 2), (a.Tickets, a.Breakdowns, a.Acknowledged, a.Resolved));
        AssertMinutes(45, a.MeanTimeToRepair);
        AssertMinutes(5 * 60, a.MeanTimeBetweenFailures);
        AssertMinutes(15, a.MeanResponseTime);

        // B: only the ticket by hand is in [00:00, 10:00): repair from its opening, 60 min; no breakdown, so no MTBF.
        var b = kpis.Machines.Single(m => m.Scope == B);
        Assert.Equal((1, 0, 1, 1), (b.Tickets, b.Breakdowns, b.Acknowledged, b.Resolved));
        AssertMinutes(60, b.MeanTimeToRepair);
        Assert.Null(b.MeanTimeBetweenFailures);
        AssertMinutes(20, b.MeanResponseTime);

        // The site: repairs 60, 30, 60; responses 5, 10, 30, 20; (10 h + 9 h) run / 2 breakdowns.
        Assert.Equal("plant1", kpis.Site.Scope);
        Assert.Equal((4, 2, 4, 3), (kpis.Site.Tickets, kpis.Site.Breakdowns, kpis.Site.Acknowledged, kpis.Site.Resolved));
        AssertMinutes(50, kpis.Site.MeanTimeToRepair);
        AssertMinutes(9.5 * 60, kpis.Site.MeanTimeBetweenFailures);
        AssertMinutes(16.25, kpis.Site.MeanResponseTime);
        Assert.Equal([A, B], kpis.Machines.Select(m => m.Scope));
    }

    [Fact]
    public void Without_run_time_there_is_no_mtbf()
    {
        var kpis = MaintenanceKpiCalculator.Calculate("plant1", Tickets, Day, Day.AddDays(1));

        Assert.All(kpis.Machines.Append(kpis.Site), k => Assert.Null(k.MeanTimeBetweenFailures));
        Assert.True(kpis.Site.NotEnoughRunTime);
    }

    [Fact]
    public void Mtbf_divides_run_time_not_calendar_time()
    {
        // A day of which machine A ran 12 h and B 8 h; A had two breakdowns and B one (at 10:00).
        var kpis = MaintenanceKpiCalculator.Calculate("plant1", Tickets, Day, Day.AddDays(1)).WithRunTimes(RunTimes(a: 12, b: 8));

        AssertMinutes(6 * 60, kpis.Machines.Single(m => m.Scope == A).MeanTimeBetweenFailures);
        AssertMinutes(8 * 60, kpis.Machines.Single(m => m.Scope == B).MeanTimeBetweenFailures);
        AssertMinutes(20 * 60 / 3.0, kpis.Site.MeanTimeBetweenFailures);
    }

    [Fact]
    public void Mtbf_needs_a_shift_of_run_time()
    {
        // A plant a few minutes old: two breakdowns in 20 minutes of run time say nothing about the time between failures.
        var kpis = MaintenanceKpiCalculator.Calculate("plant1", Tickets, Day, Day.AddDays(1)).WithRunTimes(RunTimes(a: 0.2, b: 7.9));

        var a = kpis.Machines.Single(m => m.Scope == A);
        Assert.Null(a.MeanTimeBetweenFailures);
        Assert.True(a.NotEnoughRunTime);
        Assert.Equal(TimeSpan.FromHours(0.2), a.RunTime);
        // The site has 8.1 h of run time: enough.
        AssertMinutes(8.1 * 60 / 3, kpis.Site.MeanTimeBetweenFailures);
        Assert.False(kpis.Site.NotEnoughRunTime);
    }

    [Fact]
    public void A_period_without_tickets_has_no_means()
    {
        var kpis = MaintenanceKpiCalculator.Calculate("plant1", Tickets, Day.AddDays(-7), Day.AddDays(-6));

        Assert.Empty(kpis.Machines);
        Assert.Equal(new MaintenanceKpi("plant1", 0, 0, 0, 0, null, null, null), kpis.Site);
    }

    [Fact]
    public void Retention_drops_old_and_surplus_closed_tickets_and_marks_the_archive_incomplete()
    {
        var now = Day.AddDays(100);
        var archive = new MaintenanceArchiveState
        {
            Closed =
            [
                Closed("old", opened: Day, closed: Day.AddDays(1)),
                Closed("first", opened: Day.AddDays(95), closed: Day.AddDays(96)),
                Closed("second", opened: Day.AddDays(97), closed: Day.AddDays(98)),
                Closed("third", opened: Day.AddDays(99), closed: Day.AddDays(99.5)),
            ],
        };

        ClosedTicketRetention.Apply(archive, now, maxAge: TimeSpan.FromDays(90), maxCount: 2);

        Assert.Equal(["second", "third"], archive.Closed.Select(t => t.Id));
        Assert.Equal(Day.AddDays(95).AddTicks(1), archive.IncompleteBefore);

        ClosedTicketRetention.Apply(archive, now, maxAge: TimeSpan.FromDays(90), maxCount: 2);
        Assert.Equal(2, archive.Closed.Count);
    }

    private static Dictionary<string, TimeSpan> RunTimes(double a, double b) =>
        new() { [A] = TimeSpan.FromHours(a), [B] = TimeSpan.FromHours(b) };

    private static void AssertMinutes(double expected, TimeSpan? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected, actual.Value.TotalMinutes, 6);
    }

    private static MaintenanceTicket Breakdown(string id, string machine, int stop, int opened, int? acknowledged, int? resolved) =>
        Manual(id, machine, opened, acknowledged, resolved) with
        {
            Origin = TicketOrigin.Breakdown,
            StopId = Guid.NewGuid(),
            StopStartedAt = Day.AddMinutes(stop),
        };

    private static MaintenanceTicket Manual(string id, string machine, int opened, int? acknowledged, int? resolved) =>
        new(id, machine, "Fault", TicketOrigin.Manual, TicketPriority.Normal, resolved is null ? TicketStatus.Acknowledged : TicketStatus.Resolved, Day.AddMinutes(opened), "Anna")
        {
            AcknowledgedAt = acknowledged is { } ack ? Day.AddMinutes(ack) : null,
            ResolvedAt = resolved is { } res ? Day.AddMinutes(res) : null,
        };

    private static MaintenanceTicket Closed(string id, DateTimeOffset opened, DateTimeOffset closed) =>
        new(id, A, "Fault", TicketOrigin.Manual, TicketPriority.Normal, TicketStatus.Closed, opened, "Anna") { ClosedAt = closed };
}
