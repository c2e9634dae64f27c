namespace MesOrleans.WebFrontend.Security.ExternalSignIn;

/// <summary>Where to go after signing in: only a path of this app, so that a sign-in link cannot send the user elsewhere.</summary>
public static class LocalUrl
{
    public static string OrHome(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
