using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Scalegram.BrowserTests.Infrastructure;
using Scalegram.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scalegram.BrowserTests;

/// <summary>What must go right when things go wrong: hostile text, a bad file, a wrong password, a missing page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SafetyTests(BrowserFixture browser) : IDisposable
{
    private readonly List<string> _files = [];

    [Fact]
    public async Task A_script_in_a_caption_or_comment_shows_as_text_and_never_runs()
    {
        const string caption = "<script>alert(1)</script>";
        const string comment = "<img src=x onerror=alert(2)>";
        var page = await browser.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        await UiSteps.SignUpAsync(page, UiSteps.NewUsername("mallory"), "<b>Mallory</b>");
        var photoId = await UiSteps.UploadAsync(page, await JpegAsync(), caption);

        await page.GotoAsync("/");
        var card = page.Locator($".card[data-photo-id='{photoId}']");
        await Expect(card.Locator("[data-caption]")).ToHaveTextAsync(caption);
        await Expect(card.Locator("[data-owner-name]")).ToHaveTextAsync("<b>Mallory</b>");
        await page.GotoAsync($"/p/{photoId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = caption })).ToBeVisibleAsync();
        await page.GetByLabel("Add a comment").FillAsync(comment);
        await page.GetByRole(AriaRole.Button, new() { Name = "Post" }).ClickAsync();
        await Expect(page.Locator(".comment-text")).ToHaveTextAsync(comment);
        await page.ReloadAsync();
        await Expect(page.Locator(".comment-text")).ToHaveTextAsync(comment);

        Assert.Equal(0, await page.Locator("main script, main b, .comment img").CountAsync());
        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_is_refused_with_a_clear_message()
    {
        var page = await browser.NewPageAsync();
        await UiSteps.SignUpAsync(page, UiSteps.NewUsername("carol"));
        var notAnImage = Path.Combine(Path.GetTempPath(), $"scalegram-browser-{Guid.NewGuid():N}.jpg");
        _files.Add(notAnImage);
        await File.WriteAllTextAsync(notAnImage, "This is a shopping list, not a photo.\n");

        await page.GotoAsync("/upload");
        await page.Locator("#file").SetInputFilesAsync(notAnImage);
        await Expect(page.Locator("[data-preview-note]")).ToContainTextAsync("can't be previewed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();

        var error = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "JPEG" });
        await Expect(error).ToHaveTextAsync("Only JPEG, PNG, GIF, WebP and AVIF images are accepted; this file is none of them.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Share" })).ToBeEnabledAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your feed is empty" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Sign_in_and_sign_up_errors_show_inline()
    {
        var page = await browser.NewPageAsync();
        var dave = UiSteps.NewUsername("dave");
        await UiSteps.SignUpAsync(page, dave);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await page.GotoAsync("/signin");
        await page.GetByLabel("Username").FillAsync(dave);
        await page.GetByLabel("Password").FillAsync("not-the-right-one");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That username and password do not match an account.");
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await Expect(page.GetByLabel("Username")).ToHaveValueAsync(dave);
        await Expect(page.GetByLabel("Password")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.GotoAsync("/signup");
        await page.GetByLabel("Username").FillAsync(dave);
        await page.GetByLabel("Password").FillAsync(UiSteps.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.Locator("#username-error")).ToHaveTextAsync("That username is taken; choose another.");

        await page.GetByLabel("Username").FillAsync(UiSteps.NewUsername("erin"));
        await page.GetByLabel("Password").FillAsync("short1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.Locator("#password-error")).ToContainTextAsync("at least 8 characters");

        // The right password signs in and goes back where the user was heading.
        await page.GotoAsync("/upload");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fupload$"));
        await page.GetByLabel("Username").FillAsync(dave);
        await page.GetByLabel("Password").FillAsync(UiSteps.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/upload$"));
    }

    [Fact]
    public async Task Missing_pages_are_friendly_and_api_paths_still_answer_problem_json()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Create an account" })).ToBeVisibleAsync();
        await UiSteps.ScreenshotAsync(page, "welcome-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await UiSteps.ScreenshotAsync(page, "welcome-phone");
        await page.SetViewportSizeAsync(1280, 800);
        foreach (var path in new[] { "/no/such/page", "/u/nobody_here", "/p/12345" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(404, response!.Status);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to home" })).ToBeVisibleAsync();
            Assert.DoesNotContain("Exception", await page.ContentAsync(), StringComparison.Ordinal);
        }

        await UiSteps.ScreenshotAsync(page, "not-found-desktop");
        var api = await page.APIRequest.GetAsync("/api/users/nobody_here");
        Assert.Equal(404, api.Status);
        Assert.StartsWith("application/problem+json", api.Headers["content-type"], StringComparison.Ordinal);
    }

    private async Task<string> JpegAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scalegram-browser-{Guid.NewGuid():N}.jpg");
        _files.Add(path);
        await File.WriteAllBytesAsync(path, TestImages.Jpeg(1200, 900));
        return path;
    }

    public void Dispose() => _files.ForEach(File.Delete);
}
