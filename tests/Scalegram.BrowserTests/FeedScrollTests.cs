using Microsoft.Playwright;
using Scalegram.BrowserTests.Infrastructure;
using Scalegram.Photos;
using Scalegram.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scalegram.BrowserTests;

/// <summary>The feed and the profile grid load the next page by cursor as the user scrolls.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FeedScrollTests(BrowserFixture browser)
{
    [Fact]
    public async Task Scrolling_to_the_end_loads_the_next_page_of_the_feed_and_the_grid()
    {
        var username = UiSteps.NewUsername("scroller");
        var page = await browser.NewPageAsync();
        await UiSteps.SignUpAsync(page, username);

        // More photos than one page, posted through the API (the same account, a bearer session).
        var total = PhotoEndpoints.PageSize + 3;
        using var anonymous = browser.Server.CreateClient();
        using var api = browser.Server.CreateClient(await ApiClient.TokenAsync(anonymous, username, UiSteps.Password));
        var jpeg = TestImages.Jpeg(240, 180);
        for (var i = 0; i < total; i++)
        {
            await ApiClient.UploadOkAsync(api, jpeg, caption: $"Photo number {i}");
        }

        await page.GotoAsync("/");
        var cards = page.Locator(".feed .card");
        await Expect(cards).ToHaveCountAsync(PhotoEndpoints.PageSize);
        await page.Locator("[data-more]").ScrollIntoViewIfNeededAsync();
        await Expect(cards).ToHaveCountAsync(total);
        await Expect(page.GetByText("You're all caught up.")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-more]")).ToBeHiddenAsync();
        await Expect(cards.Last.Locator("[data-caption]")).ToHaveTextAsync("Photo number 0");

        await page.GotoAsync($"/u/{username}");
        var cells = page.Locator(".grid .grid-item");
        await Expect(cells).ToHaveCountAsync(PhotoEndpoints.PageSize);
        await page.Locator("[data-more]").ScrollIntoViewIfNeededAsync();
        await Expect(cells).ToHaveCountAsync(total);
    }
}
