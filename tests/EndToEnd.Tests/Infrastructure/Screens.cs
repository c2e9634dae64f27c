using MesOrleans.Testing;
using Microsoft.Playwright;

namespace MesOrleans.EndToEnd.Tests.Infrastructure;

/// <summary>Opens pages the way a person would see them, and keeps their screenshots in TestResults/screenshots.</summary>
public static class Screens
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>The initial admin every test app has.</summary>
    public static readonly (string UserName, string Password) Admin = (MesApp.AdminUserName, MesApp.AdminPassword);

    /// <summary>
    /// Opens a page and waits until its circuit is interactive: clicks before that are lost. When the app asks who
    /// is there, signs in as <paramref name="signInAs"/> (the initial admin unless said otherwise) on its sign-in page.
    /// </summary>
    public static async Task OpenAsync(IPage page, Uri baseAddress, string path, string? readyWhen = null, (string UserName, string Password)? signInAs = null)
    {
        await page.GotoAsync(new Uri(baseAddress, path).ToString());
        if (new Uri(page.Url).AbsolutePath == "/signin")
        {
            await SignInAsync(page, signInAs ?? Admin);
        }

        await page.WaitForSelectorAsync("main[data-circuit=ready]");
        if (readyWhen is not null)
        {
            await page.WaitForSelectorAsync(readyWhen);
        }
    }

    /// <summary>Fills in the sign-in page the browser is on and waits until it has left it.</summary>
    public static async Task SignInAsync(IPage page, (string UserName, string Password) who)
    {
        await page.FillAsync("input[name='Input.UserName']", who.UserName);
        await page.FillAsync("input[name='Input.Password']", who.Password);
        await page.ClickAsync("button[data-action=sign-in]");
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/signin", StringComparison.Ordinal));
    }

    /// <summary>
    /// A screenshot of the whole page (the layout scrolls inside its body, so the viewport grows to the content for
    /// it), or of the viewport alone, as a wall TV shows it.
    /// </summary>
    public static async Task<string> ShootAsync(IPage page, string name, bool wholePage = true)
    {
        Directory.CreateDirectory(Folder);
        var file = Path.Combine(Folder, name + ".png");

        // The theme's stylesheet is rendered again when the circuit starts; a picture taken before it is loaded shows none.
        await page.WaitForFunctionAsync(
            "() => [...document.styleSheets].some(s => (s.href || '').includes('Radzen.Blazor/css')) && document.fonts.status === 'loaded'");

        // A tile that just changed state fades to its new colour: a picture taken meanwhile shows neither.
        await page.WaitForFunctionAsync("() => document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')");
        var viewport = page.ViewportSize!;
        if (wholePage)
        {
            var height = await page.EvaluateAsync<int>(
                "() => Math.ceil(Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll('.rz-body')].map(b => b.scrollHeight + b.getBoundingClientRect().top)))");
            if (height > viewport.Height)
            {
                await page.SetViewportSizeAsync(viewport.Width, height);
                await page.WaitForTimeoutAsync(500); // charts and gauges measure themselves again
            }
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
        await page.SetViewportSizeAsync(viewport.Width, viewport.Height);
        return file;
    }
}
