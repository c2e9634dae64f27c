using Scalar.AspNetCore;

namespace MesOrleans.WebFrontend.Api;

/// <summary>The REST API's reference for people: the OpenAPI document rendered by Scalar, served by the app itself.</summary>
public static class ApiReferenceExtensions
{
    /// <summary>Where the reference is served.</summary>
    public const string Path = "/api-docs";

    /// <summary>
    /// Serves the reference of <c>/openapi/v1.json</c> under <see cref="Path"/>. Plants are often offline and must not
    /// call out: the script comes from the package, and the web fonts, telemetry and AI agent that would reach the
    /// internet are off.
    /// </summary>
    public static IEndpointConventionBuilder MapApiReference(this IEndpointRouteBuilder app) =>
        app.MapScalarApiReference(Path, options => options
            .WithTitle("MesOrleans REST API")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
}
