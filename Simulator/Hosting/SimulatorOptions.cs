namespace MesOrleans.Simulator;

/// <summary>The <c>Mes:Simulator</c> section: the in-process simulator a host may run against its broker.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Mes:Simulator";

    /// <summary>Run the simulator in this process.</summary>
    public bool Enabled { get; set; }

    /// <summary>The MQTT broker, <c>host:port</c>.</summary>
    public string Broker { get; set; } = "127.0.0.1:1883";

    /// <summary>The first topic level(s) of the telemetry topics.</summary>
    public string TopicPrefix { get; set; } = "mes";

    /// <summary>The seed of the simulation; null for a new one each start.</summary>
    public int? Seed { get; set; }

    /// <summary>Simulated seconds per real second; 1 keeps the simulated plant on the wall clock.</summary>
    public double Speed { get; set; } = 1;
}
