namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>
/// Who is working at this screen, remembered for the browser session's circuit so that every step on the
/// maintenance page is signed without typing the name again. Sign-in replaces it once it lands.
/// </summary>
public sealed class CrewMember
{
    public string Name { get; set; } = string.Empty;

    public bool IsKnown => !string.IsNullOrWhiteSpace(Name);
}
