namespace MesOrleans.Machines;

/// <summary>What a machine is doing. Everything but <see cref="Running"/> and <see cref="Planned"/> is an availability loss.</summary>
public enum MachineState
{
    /// <summary>Producing.</summary>
    Running,

    /// <summary>Ready but not producing (starved, blocked, waiting).</summary>
    Idle,

    /// <summary>Stopped by a fault or by an operator's downtime.</summary>
    Down,

    /// <summary>A planned stop (planned maintenance, no orders, meeting): not planned busy time.</summary>
    Planned,

    /// <summary>Being set up for another product.</summary>
    Changeover,

    /// <summary>Not reporting (powered off or the connection is lost).</summary>
    Offline,
}

/// <summary>Who said so.</summary>
public enum EventSource
{
    /// <summary>An operator or another person through the UI or API.</summary>
    Operator,

    /// <summary>The machine itself, through telemetry.</summary>
    Telemetry,

    /// <summary>The MES (a rule, a retirement, a correction it derived).</summary>
    System,
}
