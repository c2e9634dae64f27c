using MesOrleans.Machines;
using MesOrleans.WebFrontend.Oee;

namespace MesOrleans.WebFrontend.Machines;

/// <summary>A machine's live view as the REST API shows it.</summary>
public sealed record MachineStatusResponse(
    string Id,
    string Name,
    MachineState? State,
    DateTimeOffset? Since,
    OpenStop? OpenStop,
    ShiftWindow? Shift,
    OeeResponse? ShiftOee,
    bool Retired,
    bool CountsItself)
{
    public static MachineStatusResponse From(MachineStatus s) => new(
        s.Id, s.Name, s.State, s.Since, s.OpenStop, s.Shift, s.ShiftOee is null ? null : OeeResponse.Of(s.ShiftOee), s.Retired, s.CountsItself);
}
