using Microsoft.Playwright;

namespace MesOrleans.EndToEnd.Tests.Infrastructure;

/// <summary>Opens pages the way a person would see them, and keeps their screenshots in TestResults/screenshots.</summary>
public static class Screens
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>Opens a page and waits until its circuit is interactive: clicks before that are lost.</summary>
    public static async Task OpenAsync(IPage page, Uri baseAddress, string path, string? readyWhen = null)
    {
        await page.GotoAsync(new Uri(baseAddress, path).ToString());
        await page.WaitForSelectorAsync("main[data-circuit=ready]");
        if (readyWhen is not null)
        {
            await page.WaitForSelectorAsync(readyWhen);
        }
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
