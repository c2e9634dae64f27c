using MesOrleans.Testing;
using Microsoft.Playwright;

namespace MesOrleans.EndToEnd.Tests.Infrastructure;

/// <summary>One headless Chromium for one test, with the page sizes of the floor: an operator's tablet and a wall TV.</summary>
public sealed class Browser : IAsyncDisposable
{
    public static readonly BrowserNewPageOptions Tablet = new() { ViewportSize = new() { Width = 1280, Height = 800 } };
    public static readonly BrowserNewPageOptions WallTv = new() { ViewportSize = new() { Width = 1920, Height = 1080 } };

    /// <summary>How long a page may take to show what a test waits for: live updates arrive in milliseconds, counts within 5 s.</summary>
    public static readonly PageWaitForSelectorOptions TenSeconds = new() { Timeout = 10_000 };

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<Browser> LaunchAsync()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        return new Browser(playwright, browser);
    }

    /// <summary>
    /// Opens a page of the app in a browser context of its own, signed in as <paramref name="signInAs"/> (the app's
    /// initial admin unless said otherwise), and waits until its circuit is interactive and <paramref name="readyWhen"/> shows.
    /// </summary>
    public async Task<IPage> OpenAsync(MesApp app, string path, string readyWhen, BrowserNewPageOptions? size = null, (string UserName, string Password)? signInAs = null)
    {
        var page = await _browser.NewPageAsync(size ?? Tablet);
        await Screens.OpenAsync(page, app.BaseAddress, path, readyWhen, signInAs);
        return page;
    }

    /// <summary>A page in a context of its own, on no address yet and signed in as nobody.</summary>
    public Task<IPage> NewPageAsync(BrowserNewPageOptions? size = null) => _browser.NewPageAsync(size ?? Tablet);

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
