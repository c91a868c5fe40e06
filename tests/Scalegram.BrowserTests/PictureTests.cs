using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Scalegram.BrowserTests.Infrastructure;
using Scalegram.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scalegram.BrowserTests;

/// <summary>
/// Photos as &lt;picture&gt;: Chromium takes the AVIF source before WebP and the JPEG &lt;img&gt;, on the feed,
/// the profile grid, the photo page and a card the scripts fill; the placeholder (a data: URL) draws under
/// the site's CSP; and the console shows no error or CSP violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PictureTests(BrowserFixture browser) : IDisposable
{
    private readonly string _jpeg = Path.Combine(Path.GetTempPath(), $"scalegram-browser-{Guid.NewGuid():N}.jpg");

    [Fact]
    public async Task Feed_grid_and_photo_page_load_avif_from_picture_with_a_placeholder_and_no_csp_errors()
    {
        await File.WriteAllBytesAsync(_jpeg, TestImages.Jpeg(1200, 900));
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
        page.RequestFailed += (_, request) => problems.Add($"request failed: {request.Url} {request.Failure}");

        var alice = UiSteps.NewUsername("pic");
        await UiSteps.SignUpAsync(page, alice);
        var photoId = await UiSteps.UploadAsync(page, _jpeg, "Formats");

        // The card the upload page's script filled from the API's JSON.
        await AssertPictureAsync(page.Locator($"[data-result-slot] .card[data-photo-id='{photoId}']"), "medium|large");

        await page.GotoAsync("/");
        await AssertPictureAsync(page.Locator($".card[data-photo-id='{photoId}']"), "medium|large");

        await page.GotoAsync($"/u/{alice}");
        await AssertPictureAsync(page.Locator($".grid-item[data-photo-id='{photoId}']"), "thumb|medium");

        var response = await page.GotoAsync($"/p/{photoId}");
        Assert.Contains("img-src 'self' blob: data:", await response!.HeaderValueAsync("content-security-policy"));
        await AssertPictureAsync(page.Locator($".photo-view[data-photo-id='{photoId}']"), "medium|large");

        Assert.Equal(0, await page.Locator("script:not([src]), style, [style]").CountAsync());
        await UiSteps.ScreenshotAsync(page, "picture-photo-page");
        Assert.Empty(problems);
    }

    public void Dispose() => File.Delete(_jpeg);

    private static async Task AssertPictureAsync(ILocator root, string variants)
    {
        var picture = root.Locator("picture");
        await Expect(picture).ToHaveCountAsync(1);
        await Expect(picture.Locator("source")).ToHaveCountAsync(2);
        await Expect(picture.Locator("source").Nth(0)).ToHaveAttributeAsync("type", "image/avif");
        await Expect(picture.Locator("source").Nth(0)).ToHaveAttributeAsync("srcset", new Regex($@"^/media/p/\d+/({variants})-[0-9a-f]{{20}}\.avif \d+w, /media/p/\d+/({variants})-[0-9a-f]{{20}}\.avif \d+w$"));
        await Expect(picture.Locator("source").Nth(1)).ToHaveAttributeAsync("type", "image/webp");
        await Expect(picture.Locator("source").Nth(1)).ToHaveAttributeAsync("srcset", new Regex(@"\.webp \d+w"));

        var image = picture.Locator("img[data-photo-img]");
        await image.ScrollIntoViewIfNeededAsync();
        await Expect(image).ToBeVisibleAsync();
        await Expect(image).ToHaveAttributeAsync("src", new Regex(@"\.jpg$"));
        await image.EvaluateAsync("img => img.complete && img.naturalWidth > 0 ? true : new Promise(r => img.addEventListener('load', () => r(true), { once: true }))");
        Assert.EndsWith(".avif", await image.EvaluateAsync<string>("img => img.currentSrc"), StringComparison.Ordinal);

        // The placeholder: a 16 px WebP from a data: URL, decoded (so the CSP let it in), stretched under the image.
        var blur = root.Locator("img[data-blur]");
        await Expect(blur).ToHaveAttributeAsync("src", new Regex("^data:image/webp;base64,"));
        await Expect(blur).ToBeVisibleAsync();
        await blur.EvaluateAsync("img => img.complete ? true : new Promise(r => img.addEventListener('load', () => r(true), { once: true }))");
        Assert.Equal(16, await blur.EvaluateAsync<int>("img => img.naturalWidth"));
        Assert.Equal("absolute", await blur.EvaluateAsync<string>("img => getComputedStyle(img).position"));
        Assert.True(await blur.EvaluateAsync<double>("img => img.getBoundingClientRect().width") > 100, "the placeholder is not stretched to the photo's box");
    }
}
