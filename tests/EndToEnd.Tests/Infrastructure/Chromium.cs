using MesOrleans.Testing;
using Microsoft.Playwright;

namespace MesOrleans.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright. Playwright's own browser download does not work here, so the tests use
/// the system browser; without it a test skips with the reason, except under CI (CI=true), where it fails.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Skips the calling test when Chromium is missing on a developer's machine; fails under CI.</summary>
    public static void Require() =>
        RequiredComponent.SkipOrFailIfMissing(File.Exists(ExecutablePath) ? null : $"Chromium is not installed at {ExecutablePath} (apt-get install chromium).");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        return (playwright, browser);
    }
}
