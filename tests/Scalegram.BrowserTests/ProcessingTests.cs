using Microsoft.Playwright;
using Scalegram.BrowserTests.Infrastructure;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scalegram.BrowserTests;

/// <summary>
/// A photo shows as "processing" until a worker finishes it, then turns into the image in place.
/// A web-only node takes the upload; the worker node starts only once the page shows "processing" (with the
/// blurred placeholder the upload made behind it).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProcessingTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_upload_shows_processing_until_a_worker_finishes_it_then_the_image_appears_without_a_reload()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "scalegram-browser-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(Path.GetTempPath(), $"scalegram-browser-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(file, TestImages.Jpeg(1024, 768));
        try
        {
            // Two nodes in one test process share no memory cache (that is Redis's job when scaled out): read through.
            await using var web = await TestServer.StartAsync(NodeRole.Web, dataDir, "--Caching:Disabled=true");
            var page = await browser.NewPageAsync(server: web);
            var problems = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type is "error" or "warning")
                {
                    problems.Add($"console {message.Type}: {message.Text}");
                }
            };
            page.PageError += (_, error) => problems.Add($"page error: {error}");
            await UiSteps.SignUpAsync(page, UiSteps.NewUsername("patient"));
            await page.GotoAsync("/upload");
            await page.Locator("#file").SetInputFilesAsync(file);
            await page.GetByLabel("Caption").FillAsync("Worth the wait");
            await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();

            var card = page.Locator("[data-result-slot] .card");
            await Expect(card).ToHaveAttributeAsync("data-status", "processing");
            await Expect(card.GetByText("Processing…")).ToBeVisibleAsync();
            await Expect(card.Locator("img[data-photo-img]")).ToBeHiddenAsync();

            // The upload's own placeholder, decoded (so the CSP let the data: URL in), stretched behind "Processing…".
            var blur = card.Locator("img[data-blur]");
            await Expect(blur).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/webp;base64,"));
            await Expect(blur).ToBeVisibleAsync();
            await blur.EvaluateAsync("img => img.complete ? true : new Promise(r => img.addEventListener('load', () => r(true), { once: true }))");
            Assert.Equal(16, await blur.EvaluateAsync<int>("img => img.naturalWidth"));
            Assert.True(await blur.EvaluateAsync<double>("img => img.getBoundingClientRect().width") > 100, "the placeholder is not stretched to the card");
            await card.Locator("[data-placeholder]").ScrollIntoViewIfNeededAsync();
            Assert.True(
                await card.Locator("[data-placeholder]").EvaluateAsync<bool>(
                    "el => { const r = el.getBoundingClientRect(); return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }"),
                "\"Processing…\" is not drawn over the placeholder");
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");

            await using var worker = await TestServer.StartAsync(NodeRole.Worker, dataDir);
            await Expect(card).ToHaveAttributeAsync("data-status", "ready", new() { Timeout = 30_000 });
            await Expect(card.GetByAltText("Worth the wait")).ToBeVisibleAsync();
            await Expect(card.GetByText("Processing…")).ToBeHiddenAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page was reloaded.");
            await Expect(blur).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/webp;base64,"));
            Assert.Empty(problems);
        }
        finally
        {
            File.Delete(file);
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
