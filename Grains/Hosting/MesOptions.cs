namespace MesOrleans.Hosting;

/// <summary>How the MES runs: one process with everything, or a cluster of silos.</summary>
public enum MesMode
{
    /// <summary>One process: the web app co-hosts a silo; state and history in a SQLite file.</summary>
    Standalone,

    /// <summary>Several silos on PostgreSQL with an external broker.</summary>
    Cluster,
}

/// <summary>The <c>Mes</c> configuration section.</summary>
public sealed class MesOptions
{
    public const string SectionName = "Mes";

    public MesMode Mode { get; set; } = MesMode.Standalone;

    /// <summary>Where <c>mes.db</c> lives; relative paths are relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>A plant model file applied at start, or null; relative paths are relative to the content root.</summary>
    public string? PlantModelPath { get; set; }

    public DemoOptions Demo { get; set; } = new();

    public SiloEndpointOptions Silo { get; set; } = new();

    public TelemetryOptions Telemetry { get; set; } = new();

    public HistoryOptions History { get; set; } = new();

    /// <summary>Makes relative paths relative to the content root, so the working directory does not matter.</summary>
    internal void ResolvePaths(string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(DataDirectory))
        {
            DataDirectory = Path.GetFullPath(DataDirectory, contentRoot);
        }

        if (!string.IsNullOrWhiteSpace(PlantModelPath))
        {
            PlantModelPath = Path.GetFullPath(PlantModelPath, contentRoot);
        }
    }
}

/// <summary>The <c>Mes:Demo</c> section.</summary>
public sealed class DemoOptions
{
    /// <summary>Use the built-in demo plant when no plant model file is given.</summary>
    public bool Enabled { get; set; }
}

/// <summary>The <c>Mes:Telemetry</c> section: which event times are accepted, from machines and from people.</summary>
public sealed class TelemetryOptions
{
    /// <summary>How old an event may be and still be accepted (edge devices replay buffered data).</summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How far in the future an event time may be (clocks drift).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>The <c>Mes:History</c> section: how long the machines' event log and its rollups are kept.</summary>
public sealed class HistoryOptions
{
    /// <summary>The shortest retention accepted: the reports' presets (last 4 weeks, this month) must find their data.</summary>
    public const int MinRetentionDays = 30;

    /// <summary>Days of history kept; null (the default) keeps it forever.</summary>
    public int? RetentionDays { get; set; }
}

/// <summary>The <c>Mes:Silo</c> section: the silo's ports.</summary>
public sealed class SiloEndpointOptions
{
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The sites this silo serves (cluster mode): their grains are placed on silos that name them, and the silo's MQTT
    /// bridge takes only their telemetry. Empty: any site (a site that no running silo names runs anywhere).
    /// </summary>
    public List<string> Sites { get; set; } = [];
}
