using Microsoft.Playwright;
using Scalegram.BrowserTests.Infrastructure;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scalegram.BrowserTests;

/// <summary>
/// A photo shows as "processing" until a worker finishes it, then turns into the image in place.
/// A web-only node takes the upload; the worker node starts only once the page shows "processing".
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
            await UiSteps.SignUpAsync(page, UiSteps.NewUsername("patient"));
            await page.GotoAsync("/upload");
            await page.Locator("#file").SetInputFilesAsync(file);
            await page.GetByLabel("Caption").FillAsync("Worth the wait");
            await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();

            var card = page.Locator("[data-result-slot] .card");
            await Expect(card).ToHaveAttributeAsync("data-status", "processing");
            await Expect(card.GetByText("Processing…")).ToBeVisibleAsync();
            await Expect(card.Locator("img[data-photo-img]")).ToBeHiddenAsync();
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");

            await using var worker = await TestServer.StartAsync(NodeRole.Worker, dataDir);
            await Expect(card).ToHaveAttributeAsync("data-status", "ready", new() { Timeout = 30_000 });
            await Expect(card.GetByAltText("Worth the wait")).ToBeVisibleAsync();
            await Expect(card.GetByText("Processing…")).ToBeHiddenAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page was reloaded.");
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
