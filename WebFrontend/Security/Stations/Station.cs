namespace MesOrleans.WebFrontend.Security.Stations;

/// <summary>A tablet bound to a line: operators sign in on it by badge or PIN. Its device secret is kept only as a hash.</summary>
public sealed class Station
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public required string Site { get; set; }

    public required string Line { get; set; }

    /// <summary>SHA-256 of the device secret, hex.</summary>
    public required string SecretHash { get; set; }

    public required string BoundBy { get; set; }

    public DateTimeOffset BoundAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
