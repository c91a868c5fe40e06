using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Scalegram.BrowserTests.Infrastructure;

/// <summary>What a person does in the UI, in the UI: sign up, sign in, upload. Tests read as user stories.</summary>
public static class UiSteps
{
    public const string Password = "a-fine-long-passphrase";

    public static string NewUsername(string prefix) => $"{prefix}_{Guid.NewGuid().ToString("N")[..8]}";

    public static async Task SignUpAsync(IPage page, string username, string? displayName = null)
    {
        await page.GotoAsync("/signup");
        await page.GetByLabel("Username").FillAsync(username);
        if (displayName is not null)
        {
            await page.GetByLabel("Display name").FillAsync(displayName);
        }

        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Your profile ({username})" })).ToBeVisibleAsync();
    }

    /// <summary>Uploads through the upload page and waits until the new photo's card shows the finished image.</summary>
    public static async Task<string> UploadAsync(IPage page, string file, string caption, string filter = "none", bool square = false, string? screenshot = null)
    {
        await page.GotoAsync("/upload");
        await page.Locator("#file").SetInputFilesAsync(file);
        await Expect(page.GetByAltText("Preview of the chosen photo")).ToBeVisibleAsync();
        await page.Locator($"input[name=filter][value={filter}]").CheckAsync(new() { Force = true });
        if (square)
        {
            await page.GetByLabel("Crop to a square").CheckAsync();
        }

        await page.GetByLabel("Caption").FillAsync(caption);
        if (screenshot is not null)
        {
            await ScreenshotAsync(page, screenshot);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        var card = page.Locator("[data-result-slot] .card");
        await Expect(card).ToBeVisibleAsync();
        await Expect(card).ToHaveAttributeAsync("data-status", "ready", new() { Timeout = 30_000 });
        await Expect(card.Locator("img[data-photo-img]")).ToBeVisibleAsync();
        return (await card.GetAttributeAsync("data-photo-id"))!;
    }

    /// <summary>Reloads a page until a locator shows up: for what a background job (fan-out) brings.</summary>
    public static async Task ReloadUntilVisibleAsync(IPage page, ILocator locator, int attempts = 30)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (await locator.CountAsync() > 0)
            {
                return;
            }

            await page.WaitForTimeoutAsync(500);
            await page.ReloadAsync();
        }

        await Expect(locator.First).ToBeVisibleAsync();
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Scalegram.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Scalegram.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Saves a full-page screenshot under artifacts/screenshots/ for a person to look at; the page must not scroll sideways.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var (scrollWidth, viewport) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), page.ViewportSize!.Width);
        Assert.True(scrollWidth <= viewport, $"{name}: the page is {scrollWidth}px wide in a {viewport}px viewport, so it scrolls sideways.");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");

        var dir = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        // A full-page picture: every image loaded first, lazy ones too (a resize may also have picked another srcset candidate).
        await page.EvaluateAsync("() => document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })");
        await page.WaitForFunctionAsync("() => Array.from(document.images).every(i => i.hidden || (i.complete && i.naturalWidth > 0))");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }
}
