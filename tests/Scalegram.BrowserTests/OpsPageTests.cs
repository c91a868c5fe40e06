using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Scalegram.Accounts;
using Scalegram.BrowserTests.Infrastructure;
using Scalegram.Ops;
using static Microsoft.Playwright.Assertions;

namespace Scalegram.BrowserTests;

/// <summary>
/// The ops page in Chromium under the site's strict content security policy: every chart draws, the
/// figures fill in, the styles apply, and the console shows no error and no CSP violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OpsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Every_chart_draws_and_the_figures_fill_in_with_no_console_or_csp_errors()
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
        page.RequestFailed += (_, request) => problems.Add($"request failed: {request.Url} {request.Failure}");

        var admin = UiSteps.NewUsername("opsadmin");
        await UiSteps.SignUpAsync(page, admin);
        Assert.True(await browser.Server.Services.GetRequiredService<AccountService>().SetAdminAsync(admin, true, CancellationToken.None));
        browser.Server.Services.GetRequiredService<OpsSampler>().Sample();

        var response = await page.GotoAsync("/ops");
        Assert.Equal(200, response!.Status);
        Assert.Contains("script-src 'self'", await response.HeaderValueAsync("content-security-policy"));

        await Expect(page.Locator("#updated")).Not.ToHaveTextAsync("…");
        await Expect(page.Locator("#updated")).Not.ToContainTextAsync("failed");
        await Expect(page.Locator("#figures .ops-figure")).ToHaveCountAsync(6);
        await Expect(page.Locator("#figures .ops-figure").First).ToContainTextAsync("requests/s");

        var charts = page.Locator("img[data-chart]");
        await Expect(charts).ToHaveCountAsync(OpsCharts.Names.Count);
        for (var i = 0; i < OpsCharts.Names.Count; i++)
        {
            var chart = charts.Nth(i);
            await Expect(chart).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^/api/ops/charts/"));
            await chart.ScrollIntoViewIfNeededAsync();
            await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await chart.ElementHandleAsync());
            Assert.True(await chart.EvaluateAsync<int>("img => img.naturalWidth") > 0, $"chart {i} did not draw");
        }

        // Styles came from /static (ops.css on app.css): the grid and the site's font apply; nothing is inline.
        Assert.Equal("grid", await page.Locator(".ops-charts").EvaluateAsync<string>("e => getComputedStyle(e).display"));
        Assert.Equal("flex", await page.Locator("#figures").EvaluateAsync<string>("e => getComputedStyle(e).display"));
        Assert.Equal(0, await page.Locator("script:not([src]), style, [style]").CountAsync());

        await UiSteps.ScreenshotAsync(page, "ops");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_signed_in_non_admin_sees_a_styled_refusal_with_no_console_errors()
    {
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error")
            {
                problems.Add($"{message.Text} ({message.Location})");
            }
        };
        await UiSteps.SignUpAsync(page, UiSteps.NewUsername("notadmin"));
        var response = await page.GotoAsync("/ops");
        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This page is for administrators" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("style").CountAsync());
        Assert.NotEqual("rgba(0, 0, 0, 0)", await page.Locator("body").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));

        // The 403 itself is logged by Chromium as a failed resource load; anything else is a problem.
        Assert.DoesNotContain(problems, p => !p.Contains("403", StringComparison.Ordinal));
    }
}
