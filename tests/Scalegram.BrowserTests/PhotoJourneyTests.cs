using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Scalegram.BrowserTests.Infrastructure;
using Scalegram.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scalegram.BrowserTests;

/// <summary>The whole story in a real browser: two people, one photo, from upload to delete.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhotoJourneyTests(BrowserFixture browser) : IDisposable
{
    private readonly string _jpeg = Path.Combine(Path.GetTempPath(), $"scalegram-browser-{Guid.NewGuid():N}.jpg");

    [Fact]
    public async Task Upload_with_filter_turns_ready_then_a_follower_likes_and_comments_and_the_owner_deletes()
    {
        await File.WriteAllBytesAsync(_jpeg, TestImages.Jpeg(1600, 1200));
        var alice = UiSteps.NewUsername("alice");
        var bob = UiSteps.NewUsername("bob");

        // Alice signs up, uploads a sepia, square-cropped photo, and watches it turn ready without a reload.
        var owner = await browser.NewPageAsync();
        await UiSteps.SignUpAsync(owner, alice, "Alice Liddell");
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Your feed is empty" })).ToBeVisibleAsync();
        var photoId = await UiSteps.UploadAsync(owner, _jpeg, "Sunset at the pier", filter: "sepia", square: true, screenshot: "upload-desktop");

        // It is in her feed: finished image, variants in srcset, lazy loading, alt text from the caption.
        await owner.GotoAsync("/");
        var card = owner.Locator($".card[data-photo-id='{photoId}']");
        await Expect(card).ToHaveAttributeAsync("data-status", "ready");
        var image = card.GetByAltText("Sunset at the pier");
        await Expect(image).ToBeVisibleAsync();
        await Expect(image).ToHaveAttributeAsync("loading", "lazy");
        await Expect(image).ToHaveAttributeAsync("srcset", new Regex(@"/media/\S+ 640w, /media/\S+ 1080w"));
        Assert.True(await image.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "The feed image did not load.");
        Assert.Equal(await image.EvaluateAsync<int>("img => img.naturalHeight"), await image.EvaluateAsync<int>("img => img.naturalWidth"));

        // Bob, in another browser profile, follows Alice from her profile, opens the photo, likes it and comments.
        var follower = await browser.NewPageAsync();
        await UiSteps.SignUpAsync(follower, bob);
        await follower.GotoAsync($"/u/{alice}");
        await Expect(follower.GetByRole(AriaRole.Heading, new() { Name = "Alice Liddell" })).ToBeVisibleAsync();
        await follower.GetByRole(AriaRole.Button, new() { Name = "Follow" }).ClickAsync();
        await Expect(follower.GetByRole(AriaRole.Button, new() { Name = "Following" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(follower.Locator("[data-followers-count]")).ToHaveTextAsync("1");

        // His feed now has her photo (back-filled by a job on follow).
        await follower.GotoAsync("/");
        await UiSteps.ReloadUntilVisibleAsync(follower, follower.Locator($".card[data-photo-id='{photoId}']"));
        await follower.Locator($".card[data-photo-id='{photoId}'] a.card-media").ClickAsync();
        await Expect(follower).ToHaveURLAsync(new Regex($"/p/{photoId}$"));
        await follower.GetByRole(AriaRole.Button, new() { Name = "Like" }).ClickAsync();
        await Expect(follower.GetByRole(AriaRole.Button, new() { Name = "Like" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(follower.Locator("[data-like-count]")).ToHaveTextAsync("1 like");
        await follower.GetByLabel("Add a comment").FillAsync("Lovely light!");
        await follower.GetByRole(AriaRole.Button, new() { Name = "Post" }).ClickAsync();
        await Expect(follower.Locator(".comment").Filter(new() { HasText = "Lovely light!" })).ToContainTextAsync(bob);

        // Alice sees the like and the comment, in her feed and on the photo page.
        await owner.GotoAsync("/");
        await Expect(card.Locator("[data-like-count]")).ToHaveTextAsync("1 like");
        await Expect(card.Locator("[data-comment-count]")).ToHaveTextAsync("1 comment");
        await UiSteps.ScreenshotAsync(owner, "feed-desktop");
        await owner.SetViewportSizeAsync(390, 844);
        await UiSteps.ScreenshotAsync(owner, "feed-phone");
        await owner.GotoAsync($"/p/{photoId}");
        await Expect(owner.Locator(".comment")).ToContainTextAsync("Lovely light!");
        await Expect(owner.Locator(".comment-author")).ToHaveTextAsync(bob);
        await UiSteps.ScreenshotAsync(owner, "photo-phone");
        await owner.SetViewportSizeAsync(1280, 800);
        await UiSteps.ScreenshotAsync(owner, "photo-desktop");
        await owner.GotoAsync($"/u/{alice}");
        await UiSteps.ScreenshotAsync(owner, "profile-desktop");
        await owner.GotoAsync($"/p/{photoId}");

        // And deletes it: a confirmation, then her profile without it, and the photo's page is gone.
        await owner.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await owner.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(owner).ToHaveURLAsync(new Regex($"/u/{alice}$"));
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "No photos yet" })).ToBeVisibleAsync();
        var gone = await follower.GotoAsync($"/p/{photoId}");
        Assert.Equal(404, gone!.Status);
        await Expect(follower.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
    }

    public void Dispose() => File.Delete(_jpeg);
}
