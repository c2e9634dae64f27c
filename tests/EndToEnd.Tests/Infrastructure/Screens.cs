using Microsoft.Playwright;

namespace MesOrleans.EndToEnd.Tests.Infrastructure;

/// <summary>Where the pages' screenshots go: TestResults/screenshots under the test's output folder.</summary>
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

    public static async Task<string> ShootAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var file = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        return file;
    }
}
