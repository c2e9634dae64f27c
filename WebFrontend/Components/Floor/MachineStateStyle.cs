using MesOrleans.Machines;
using MesOrleans.Reports;

namespace MesOrleans.WebFrontend.Components.Floor;

/// <summary>How a machine state looks everywhere on the shop floor: one colour, word and icon per state.</summary>
public static class MachineStateStyle
{
    public static string CssClass(MachineState? state) => state switch
    {
        MachineState.Running => "mes-running",
        MachineState.Down => "mes-down",
        MachineState.Idle => "mes-idle",
        MachineState.Changeover => "mes-changeover",
        MachineState.Planned => "mes-planned",
        MachineState.Offline => "mes-offline",
        _ => "mes-unknown",
    };

    public static string Label(MachineState? state) => state switch
    {
        MachineState.Running => "Running",
        MachineState.Down => "Down",
        MachineState.Idle => "Idle",
        MachineState.Changeover => "Changeover",
        MachineState.Planned => "Planned stop",
        MachineState.Offline => "Offline",
        _ => "No data yet",
    };

    /// <summary>A Material Symbols icon name.</summary>
    public static string Icon(MachineState? state) => state switch
    {
        MachineState.Running => "play_circle",
        MachineState.Down => "error",
        MachineState.Idle => "pause_circle",
        MachineState.Changeover => "build_circle",
        MachineState.Planned => "event_busy",
        MachineState.Offline => "power_off",
        _ => "help",
    };

    /// <summary>
    /// True when the machine stands still (down or idle) and nobody has said why yet, as after a stop the machine
    /// reported by itself: the station asks for a reason and the board marks the tile.
    /// </summary>
    public static bool NeedsReason(MachineStatus status) =>
        status.OpenStop is { State: MachineState.Down or MachineState.Idle } stop && LossReport.IsUnassigned(stop.ReasonCode);
}
