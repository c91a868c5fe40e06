using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Scalegram.Accounts;
using Scalegram.Ops;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Observability;

/// <summary>/ops and its JSON: admins only (Web:Admins or `admin grant`), friendly refusals for everyone else.</summary>
public sealed class OpsPageTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in()
    {
        using var anonymous = _server.CreateClient();
        var page = await anonymous.GetAsync("/ops");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin?returnUrl=%2Fops", page.Headers.Location!.OriginalString);

        var api = await anonymous.GetAsync("/api/ops/series");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        await ApiClient.ProblemAsync(api);
    }

    [Fact]
    public async Task Signed_in_non_admins_get_a_friendly_403()
    {
        using var user = await ApiClient.SignedInAsync(_server, "plain_o");
        var page = await user.GetAsync("/ops");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("for administrators", html);
        Assert.Contains("scalegram admin grant", html);

        var api = await user.GetAsync("/api/ops/series");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        await ApiClient.ProblemAsync(api);
    }

    [Fact]
    public async Task An_admin_sees_the_page_charts_and_series()
    {
        using var boss = await ApiClient.SignedInAsync(_server, "boss_o");
        Assert.True(await _server.Services.GetRequiredService<AccountService>().SetAdminAsync("boss_o", true, CancellationToken.None));
        Assert.True((await boss.GetAsync("/api/feed")).IsSuccessStatusCode);
        _server.Services.GetRequiredService<OpsSampler>().Sample();

        var page = await boss.GetAsync("/ops");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("/static/ops.js?v=", html); // the script (which reads /api/ops/series) and styles are files: the CSP forbids inline ones
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("data-chart=\"latency\"", html);

        var series = JsonDocument.Parse(await boss.GetStringAsync("/api/ops/series")).RootElement;
        Assert.Equal(5, series.GetProperty("intervalSeconds").GetDouble());
        var last = series.GetProperty("points").EnumerateArray().Last();
        Assert.True(last.GetProperty("requestsPerSecond").GetDouble() > 0);
        Assert.True(last.GetProperty("p99Ms").GetDouble() > 0);
        Assert.Equal(0, last.GetProperty("errorRate").GetDouble());
        Assert.True(last.GetProperty("cacheHitRatio").ValueKind == JsonValueKind.Number);
        Assert.True(last.GetProperty("dailyActiveUsers").GetInt64() >= 1);
        Assert.True(last.GetProperty("business").GetProperty("signup").GetInt64() >= 1);
        Assert.Equal(JsonValueKind.Number, last.GetProperty("queueDepth").ValueKind);

        var seriesOf = new Dictionary<string, string[]>
        {
            ["traffic"] = ["requests/s"],
            ["latency"] = ["p50", "p99"],
            ["errors"] = ["5xx %"],
            ["cache"] = ["hit %"],
            ["edge"] = ["edge hit %"],
            ["queue"] = ["depth (jobs)", "oldest age (s)"],
            ["business"] = OpsWindow.BusinessEvents,
        };
        Assert.Equal(seriesOf.Keys.Order(), OpsCharts.Names.Order());
        foreach (var chart in OpsCharts.Names)
        {
            var svg = await boss.GetAsync($"/api/ops/charts/{chart}.svg");
            Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
            Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
            var doc = XDocument.Parse(await svg.Content.ReadAsStringAsync());
            Assert.Equal("svg", doc.Root!.Name.LocalName);
            var lines = doc.Descendants(doc.Root.Name.Namespace + "path").Where(p => p.Attribute("data-series") is not null).ToList();
            Assert.Equal(seriesOf[chart], lines.Select(p => p.Attribute("data-series")!.Value));
            if (chart == "edge")
            {
                Assert.All(lines, p => Assert.Equal("", p.Attribute("d")!.Value)); // this node has no edge: no hit ratio, nothing drawn (EdgeNodeTests draws one)
                continue;
            }

            Assert.All(lines, p => Assert.StartsWith("M", p.Attribute("d")!.Value)); // the sample is drawn
        }

        var missing = await boss.GetAsync("/api/ops/charts/nope.svg");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("no-such-chart", (await ApiClient.ProblemAsync(missing)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_account_granted_admin_sees_the_page()
    {
        using var granted = await ApiClient.SignedInAsync(_server, "granted_o");
        Assert.Equal(HttpStatusCode.Forbidden, (await granted.GetAsync("/ops")).StatusCode);
        Assert.True(await _server.Services.GetRequiredService<AccountService>().SetAdminAsync("granted_o", true, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await granted.GetAsync("/ops")).StatusCode);
    }

    [Fact]
    public async Task Web_Admins_are_granted_in_the_database_at_start_up()
    {
        var dir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string id;
            await using (var first = await TestServer.StartAsync(dataDir: dir))
            {
                using var early = await ApiClient.SignedInAsync(first, "early_o");
                id = (await early.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString()!;
            }

            // Web:Admins lists account IDs (a name could be claimed by whoever signs up first).
            await using var second = await TestServer.StartAsync(dataDir: dir, settings: $"--Web:Admins={id}");
            var accounts = second.Services.GetRequiredService<AccountService>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            User? user;
            do
            {
                await Task.Delay(50);
                user = await accounts.FindByUsernameAsync("early_o", CancellationToken.None);
            }
            while (user is { IsAdmin: false } && DateTime.UtcNow < deadline);

            Assert.True(user!.IsAdmin);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Logs_are_json_outside_development()
    {
        var console = _server.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal("json", console.FormatterName);
        var json = _server.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
        Assert.True(json.IncludeScopes, "scopes carry the TraceId and SpanId of each log line");
    }
}
