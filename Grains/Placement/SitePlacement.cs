using Orleans.Placement;

namespace MesOrleans.Placement;

/// <summary>
/// Places a grain of a site (machines, lines, the site, its maintenance board and tickets, its shift log) on a silo
/// that declares that site in <c>Mes:Silo:Sites</c>, so that a plant's grains run on the plant's own servers; when no
/// such silo is up, on any silo. The site is read from the grain's key.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.SitePlacement")]
public sealed class SitePlacement : PlacementStrategy
{
    /// <summary>Keys that start with the site: <c>plant1</c>, <c>plant1/assembly</c>, <c>plant1/assembly/press-3</c>.</summary>
    public static SitePlacement ByPath { get; } = new() { KeyKind = SiteKeyKind.Path };

    /// <summary>Ticket ids: <c>plant1-0042</c>.</summary>
    public static SitePlacement ByTicketId { get; } = new() { KeyKind = SiteKeyKind.TicketId };

    [Id(0)] public SiteKeyKind KeyKind { get; init; }
}

/// <summary>How a grain's key names its site.</summary>
public enum SiteKeyKind
{
    /// <summary>An equipment path or a site id: the site is the first segment.</summary>
    Path,

    /// <summary>A maintenance ticket id: the site is what precedes the number.</summary>
    TicketId,
}

/// <summary>Marks a grain class whose key is an equipment path or a site id (<see cref="SitePlacement.ByPath"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PlaceBySiteAttribute() : PlacementAttribute(SitePlacement.ByPath);

/// <summary>Marks a grain class whose key is a ticket id (<see cref="SitePlacement.ByTicketId"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PlaceByTicketSiteAttribute() : PlacementAttribute(SitePlacement.ByTicketId);
