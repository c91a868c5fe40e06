using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Scalegram.BrowserTests.Infrastructure;
using Scalegram.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scalegram.BrowserTests;

/// <summary>What a person controls: deleting a comment (its author or the photo's owner) and deleting the whole account.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountControlTests(BrowserFixture browser) : IDisposable
{
    private readonly List<string> _files = [];

    [Fact]
    public async Task The_author_and_the_photos_owner_see_a_delete_button_on_a_comment_and_deleting_removes_it()
    {
        var owner = await PageWatchingForErrorsAsync();
        var guest = await PageWatchingForErrorsAsync();
        var ownerName = UiSteps.NewUsername("olga");
        await UiSteps.SignUpAsync(owner.Page, ownerName);
        await UiSteps.SignUpAsync(guest.Page, UiSteps.NewUsername("gus"));
        var photoId = await UiSteps.UploadAsync(owner.Page, await JpegAsync(), "a comment target");

        await guest.Page.GotoAsync($"/p/{photoId}");
        await CommentAsync(guest.Page, "first from the guest");
        await CommentAsync(guest.Page, "second from the guest");
        await owner.Page.GotoAsync($"/p/{photoId}");
        await CommentAsync(owner.Page, "the owner's reply");

        // The owner may delete every comment on the photo; the guest only theirs.
        await owner.Page.ReloadAsync();
        await Expect(owner.Page.Locator("[data-delete-comment]")).ToHaveCountAsync(3);
        await guest.Page.ReloadAsync();
        await Expect(guest.Page.Locator("[data-delete-comment]")).ToHaveCountAsync(2);

        await guest.Page.Locator(".comment", new() { HasText = "first from the guest" }).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(guest.Page).ToHaveURLAsync(new Regex($"/p/{photoId}#comments$"));
        await Expect(guest.Page.Locator(".comment-text")).ToHaveTextAsync(["second from the guest", "the owner's reply"]);
        await Expect(guest.Page.Locator("[data-comment-count]")).ToHaveTextAsync("2 comments");

        await owner.Page.ReloadAsync();
        await owner.Page.Locator(".comment", new() { HasText = "second from the guest" }).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(owner.Page.Locator(".comment-text")).ToHaveTextAsync(["the owner's reply"]);
        await Expect(owner.Page.Locator("[data-comment-count]")).ToHaveTextAsync("1 comment");
        Assert.Empty(owner.Problems.Concat(guest.Problems));
    }

    [Fact]
    public async Task Deleting_the_account_asks_for_the_password_then_the_account_is_gone_and_signed_out()
    {
        var (page, problems) = await PageWatchingForErrorsAsync();
        var name = UiSteps.NewUsername("dora");
        await UiSteps.SignUpAsync(page, name);
        var photoId = await UiSteps.UploadAsync(page, await JpegAsync(), "soon gone");

        await page.GotoAsync("/settings/delete");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delete your account" })).ToBeVisibleAsync();
        await page.GetByLabel("Your password").FillAsync("not my password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That is not your password; your account was not deleted.");
        await page.GotoAsync($"/u/{name}");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Your profile ({name})" })).ToBeVisibleAsync();

        await page.GotoAsync("/settings");
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete account…" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/settings/delete$"));
        await page.GetByLabel("Your password").FillAsync(UiSteps.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/settings/delete/done$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your account is deleted" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        Assert.Equal(404, (await page.APIRequest.GetAsync($"/api/users/{name}")).Status);
        Assert.Equal(404, (await page.APIRequest.GetAsync($"/api/photos/{photoId}")).Status);
        await page.GotoAsync("/signin");
        await page.GetByLabel("Username").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(UiSteps.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That username and password do not match an account.");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Over_the_upload_rate_the_upload_page_says_so()
    {
        await using var server = await TestServer.StartAsync(settings: "--Photos:UploadsPerHour=1");
        var page = await browser.NewPageAsync(server: server);
        await UiSteps.SignUpAsync(page, UiSteps.NewUsername("eve"));
        await UiSteps.UploadAsync(page, await JpegAsync(), "the only one this hour");

        await page.GotoAsync("/upload");
        await page.Locator("#file").SetInputFilesAsync(await JpegAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "uploads an hour" }))
            .ToContainTextAsync(new Regex(@"You have reached the limit of 1 uploads an hour \(Photos:UploadsPerHour\); try again in \d+ minutes?\."));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Share" })).ToBeEnabledAsync();
    }

    private static async Task CommentAsync(IPage page, string text)
    {
        await page.GetByLabel("Add a comment").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Post" }).ClickAsync();
        await Expect(page.Locator(".comment-text", new() { HasText = text })).ToBeVisibleAsync();
    }

    /// <summary>A fresh page that records console errors and warnings (CSP violations among them) and page errors.</summary>
    private async Task<(IPage Page, List<string> Problems)> PageWatchingForErrorsAsync()
    {
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        return (page, problems);
    }

    private async Task<string> JpegAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scalegram-browser-{Guid.NewGuid():N}.jpg");
        _files.Add(path);
        await File.WriteAllBytesAsync(path, TestImages.Jpeg(800, 600));
        return path;
    }

    public void Dispose() => _files.ForEach(File.Delete);
}
