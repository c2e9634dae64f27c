using System.Globalization;

namespace MesOrleans.Benchmarks;

/// <summary>
/// Command line: <c>--scenario all|noop|direct|e2e|memory|cluster|pgqueue|reports --machines 1000 --rate 10000 --seconds 20
/// --connections 8 --window 200 --memory-machines 10000</c>; for <c>reports</c> (not part of <c>all</c>: it writes
/// gigabytes) <c>--store sqlite|postgres --report-machines 200 --days 365 --count-seconds 60 --runs 5 --data DIR</c> (kept,
/// and reused when it already holds the store's history).
/// </summary>
internal sealed record BenchmarkOptions(
    string Scenario, int Machines, double Rate, TimeSpan Duration, int Connections, int Window, int MemoryMachines,
    string Store, int ReportMachines, int Days, TimeSpan CountEvery, int QueryRuns, string? DataDirectory)
{
    public bool Runs(string scenario) => Scenario == scenario || (Scenario == "all" && scenario != "reports");

    public static BenchmarkOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string key, string fallback) => values.GetValueOrDefault(key, fallback);
        return new BenchmarkOptions(
            Get("scenario", "all"),
            int.Parse(Get("machines", "1000"), CultureInfo.InvariantCulture),
            double.Parse(Get("rate", "10000"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Get("seconds", "20"), CultureInfo.InvariantCulture)),
            int.Parse(Get("connections", "8"), CultureInfo.InvariantCulture),
            int.Parse(Get("window", "200"), CultureInfo.InvariantCulture),
            int.Parse(Get("memory-machines", "10000"), CultureInfo.InvariantCulture),
            Get("store", "sqlite"),
            int.Parse(Get("report-machines", "200"), CultureInfo.InvariantCulture),
            int.Parse(Get("days", "365"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Get("count-seconds", "60"), CultureInfo.InvariantCulture)),
            int.Parse(Get("runs", "5"), CultureInfo.InvariantCulture),
            values.GetValueOrDefault("data"));
    }
}
