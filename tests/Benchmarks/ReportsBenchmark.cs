using System.Diagnostics;
using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MesOrleans.Benchmarks;

/// <summary>
/// Reports over a year of history: writes a generated year (<see cref="YearOfHistory"/>) through the real event log of
/// either mode (SQLite standalone, PostgreSQL cluster), which files rollups in its transactions as in production; then
/// asks the questions the reports page and API ask, through the same read path (<see cref="PeriodReports"/>), cold and
/// warm.
/// </summary>
internal static class ReportsBenchmark
{
    private static readonly DateOnly FirstDay = new(2025, 12, 1);

    public static async Task RunAsync(string store, int machines, int days, TimeSpan countEvery, int runs, string? keepIn)
    {
        if (store == "postgres" && PostgresServer.Missing is { } missing)
        {
            Console.WriteLine($"reports: skipped, {missing}");
            return;
        }

        var directory = keepIn ?? Directory.CreateTempSubdirectory("mes-reports-").FullName;
        var history = new YearOfHistory(machines, FirstDay, seed: 2026, countEvery);
        var plant = history.Plant();
        var snapshot = new PlantModelSnapshot(1, plant, []);
        var calendar = new PlantView(snapshot).CalendarOf(YearOfHistory.Site);

        // The reports are asked the morning after the last day: the history is a year up to last midnight. The clock
        // stands still, so the catalog's view never ages and nothing asks a plant-model grain.
        var (yearStart, yearEnd) = (calendar.Day(FirstDay).Start, calendar.Day(FirstDay.AddDays(days)).Start);
        var clock = new FakeTimeProvider(yearEnd.AddHours(8));
        var catalog = new PlantCatalog(null!, clock);
        catalog.Publish(snapshot);

        await using (var database = store switch
        {
            "sqlite" => new SqliteReportsDatabase(directory),
            "postgres" => (ReportsDatabase)await PostgresReportsDatabase.StartAsync(directory),
            _ => throw new ArgumentException($"--store must be sqlite or postgres, not '{store}'.", nameof(store)),
        })
        {
            if (!await database.HasHistoryAsync())
            {
                await GenerateAsync(database.OpenLog(catalog), history, days);
                await database.SettleAsync();
            }
            else
            {
                Console.WriteLine($"reports: reusing the {store} history in {directory}");
            }

            await database.DescribeAsync();
            await QueryAsync(database, catalog, clock, yearStart, yearEnd, runs);
        }

        if (keepIn is null)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task GenerateAsync(EventLogWriter log, YearOfHistory history, int days)
    {
        await log.StartAsync(CancellationToken.None);
        var events = 0L;
        var clock = Stopwatch.StartNew();
        for (var day = 0; day < days; day++)
        {
            // Machines append one after another as the writer commits; a day's appends at a time keep memory flat.
            var appends = history.Day(day).Where(d => d.Events.Count > 0).ToList();
            await Task.WhenAll(appends.Select(d => log.AppendAsync(new MachineAppend(d.Machine, d.Events))));
            events += appends.Sum(d => d.Events.Count);
            if (day % 7 == 6 || day == days - 1 || day < 3)
            {
                Console.WriteLine($"reports: {day + 1} days written, {events:N0} events, {events / clock.Elapsed.TotalSeconds:N0} events/s");
            }
        }

        await log.StopAsync(CancellationToken.None);
        Console.WriteLine($"reports: wrote {events:N0} events of {history.MachineIds().Count()} machines over {days} days in {clock.Elapsed.TotalSeconds:N0} s " +
            $"({events / clock.Elapsed.TotalSeconds:N0} events/s, rollups filed in the same transactions)");
    }

    // Each question on a database opened afresh (cold: the store has read nothing of it yet; the OS may still cache the
    // files), then asked again (warm): median and max of the warm runs.
    private static async Task QueryAsync(ReportsDatabase database, PlantCatalog catalog, TimeProvider clock, DateTimeOffset yearStart, DateTimeOffset yearEnd, int runs)
    {
        var now = yearEnd;
        var lastMonth = yearEnd.AddDays(-30);
        var line = YearOfHistory.LineId(1);
        var machine = $"{line}/m-4";
        var questions = new (string Name, ReportQuery Query, Func<PeriodReport, int> Answer)[]
        {
            ("OEE per week, site, year", new ReportQuery(YearOfHistory.Site, yearStart, now), r => r.Oee(ReportPeriod.Week).Count),
            ("OEE per day, one line, year", new ReportQuery(YearOfHistory.Site, yearStart, now) { Line = line }, r => r.Oee(ReportPeriod.Day).Count),
            ("downtime by reason, site, year", new ReportQuery(YearOfHistory.Site, yearStart, now), r => r.Downtime(DowntimeGrouping.Reason).Count),
            ("OEE per shift, site, last month", new ReportQuery(YearOfHistory.Site, lastMonth, now), r => r.Oee(ReportPeriod.Shift).Count),
            ("OEE per day, one machine, year", new ReportQuery(YearOfHistory.Site, yearStart, now) { Machine = machine }, r => r.Oee(ReportPeriod.Day).Count),
            ("OEE per week, site, year, mid-day edges", new ReportQuery(YearOfHistory.Site, yearStart.AddHours(10.5), now.AddHours(-7.25)), r => r.Oee(ReportPeriod.Week).Count),
        };

        Console.WriteLine($"reports: {"question",-42} {"cold ms",8} {"warm median",12} {"warm max",9}  rows  OEE");
        foreach (var (name, query, answer) in questions)
        {
            var reports = new PeriodReports(await database.ReopenAsync(), catalog, clock);
            var timings = new List<double>();
            var rows = 0;
            double? oee = null;
            for (var run = 0; run <= runs; run++)
            {
                var watch = Stopwatch.StartNew();
                var report = await reports.ReadAsync(query, byMachine: false);
                rows = answer(report);
                oee = report.Total.Oee;
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }

            var warm = timings.Skip(1).Order().ToList();
            Console.WriteLine($"reports: {name,-42} {timings[0],8:N0} {warm[warm.Count / 2],12:N0} {warm[^1],9:N0}  {rows,4}  {oee:P1}");
        }
    }
}
