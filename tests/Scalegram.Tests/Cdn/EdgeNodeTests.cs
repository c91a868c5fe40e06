using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Cdn;

/// <summary>
/// A real Scalegram node behind a real Varnish edge: deleting a photo purges it from the edge through
/// the job queue (retried until every edge confirmed), and a dead edge sends media URLs back to the origin.
/// </summary>
// Reads /metrics of in-process nodes: runs with the other metrics readers, alone (see MetricsEndpointTests).
[Collection(nameof(Api.OperationsEndpointTests))]
public sealed class EdgeNodeTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _running = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_running))
        {
            await item.DisposeAsync();
        }
    }

    [Fact]
    public async Task Deleting_a_photo_purges_its_variants_so_the_edge_answers_404_at_once()
    {
        var (node, edge) = await NodeBehindEdgeAsync();
        using var alice = await ApiClient.SignedInAsync(node, ApiClient.NewName("edge"));
        var photo = await ApiClient.UploadReadyAsync(alice, TestImages.Jpeg(800, 600));
        var id = photo.GetProperty("id").GetString()!;
        var urls = await EdgeUrlsAsync(alice, id, edge);
        using var viewer = new HttpClient();
        foreach (var url in urls)
        {
            (await viewer.GetAsync(url)).Dispose();
            using var cached = await viewer.GetAsync(url);
            Assert.Equal("HIT", cached.Headers.GetValues("X-Cache").Single());
        }

        using var deleted = await alice.DeleteAsync($"/api/photos/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.NotFound, await StatusOnceSettledAsync(viewer, url, HttpStatusCode.NotFound));
        }
    }

    [Fact]
    public async Task Media_through_the_edge_is_cookieless_typed_nosniff_and_cached()
    {
        var (node, edge) = await NodeBehindEdgeAsync();
        using var alice = await ApiClient.SignedInAsync(node, ApiClient.NewName("edge"));
        var photo = await ApiClient.UploadReadyAsync(alice, TestImages.Jpeg(400, 300));
        var url = (await EdgeUrlsAsync(alice, photo.GetProperty("id").GetString()!, edge)).First(u => u.EndsWith(".jpg", StringComparison.Ordinal));
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false });

        HttpResponseMessage? last = null;
        for (var i = 0; i < 2; i++)
        {
            last?.Dispose();
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Cookie", "session=whatever");
            last = await browser.SendAsync(request);
        }

        using var response = last!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HIT", response.Headers.GetValues("X-Cache").Single());
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_purge_an_edge_did_not_confirm_is_retried_until_it_does()
    {
        var downPort = ServerProcess.FreePort();
        var (node, edge) = await NodeBehindEdgeAsync(
            $"--Cdn:PurgeUrls:1=http://127.0.0.1:{downPort}", "--Messaging:MaxAttempts=12", "--Messaging:RetryBaseDelay=00:00:00.200");
        using var alice = await ApiClient.SignedInAsync(node, ApiClient.NewName("edge"));
        var photo = await ApiClient.UploadReadyAsync(alice, TestImages.Jpeg(400, 300));
        var id = photo.GetProperty("id").GetString()!;
        var url = (await EdgeUrlsAsync(alice, id, edge))[0];
        using var viewer = new HttpClient();
        (await viewer.GetAsync(url)).Dispose();

        (await alice.DeleteAsync($"/api/photos/{id}")).Dispose();

        // The edge that is up is purged on the first attempt; the one that is down fails and is retried.
        Assert.Equal(HttpStatusCode.NotFound, await StatusOnceSettledAsync(viewer, url, HttpStatusCode.NotFound));
        var downEdge = $"http://127.0.0.1:{downPort}";
        await MetricsShowAsync(node, line => line.StartsWith("scalegram_cdn_purges_total", StringComparison.Ordinal) && line.Contains(downEdge, StringComparison.Ordinal) && line.Contains("outcome=\"failed\"", StringComparison.Ordinal));

        // Once that edge comes up, a retry gets through and the job completes.
        var second = await VarnishServer.StartAsync(node.BaseAddress.Port, port: downPort);
        _running.Add(second);
        await MetricsShowAsync(node, line => line.StartsWith("scalegram_cdn_purges_total", StringComparison.Ordinal) && line.Contains(downEdge, StringComparison.Ordinal) && line.Contains("outcome=\"sent\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task While_the_edge_is_down_media_urls_point_at_the_origin_and_images_still_load()
    {
        var (node, edge) = await NodeBehindEdgeAsync();
        using var alice = await ApiClient.SignedInAsync(node, ApiClient.NewName("edge"));
        var photo = await ApiClient.UploadReadyAsync(alice, TestImages.Jpeg(400, 300));
        var id = photo.GetProperty("id").GetString()!;
        var edgeUrl = (await EdgeUrlsAsync(alice, id, edge)).First(u => u.EndsWith(".jpg", StringComparison.Ordinal));

        edge.Stop();
        var originUrl = await UrlWhenAsync(alice, id, url => url.StartsWith("/media/", StringComparison.Ordinal));
        using var anonymous = node.CreateClient();
        using var image = await anonymous.GetAsync(originUrl);
        var page = await anonymous.GetStringAsync($"/p/{id}");
        var metrics = await anonymous.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(edgeUrl[edge.BaseUrl.Length..], originUrl);
        Assert.Contains($"src=\"{originUrl}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(edge.BaseUrl, page, StringComparison.Ordinal);
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("scalegram_cdn_edge_up{", StringComparison.Ordinal) && line.EndsWith(" 0", StringComparison.Ordinal));
        var sent = Assert.Single(metrics.Split('\n'), line => line.StartsWith("scalegram_cdn_origin_media_bytes", StringComparison.Ordinal));
        Assert.Equal((await image.Content.ReadAsByteArrayAsync()).Length, long.Parse(sent[(sent.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)); // the only media the origin sent

        // And back to the edge once it answers again.
        await edge.RestartAsync();
        Assert.Equal(edgeUrl, await UrlWhenAsync(alice, id, url => url.StartsWith(edge.BaseUrl, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_ops_page_shows_the_edge_up_and_its_hit_ratio()
    {
        // The node reads varnishstat from a directory named before the edge exists: a link to the edge's -n directory.
        var statDir = Path.Combine(Path.GetTempPath(), "scalegram-edgestat-" + Guid.NewGuid().ToString("N"));
        var (node, edge) = await NodeBehindEdgeAsync($"--Cdn:VarnishStatDirectories:0={statDir}", "--Cdn:StatsInterval=00:00:00.200");
        File.CreateSymbolicLink(statDir, edge.WorkDirectory);
        try
        {
            var boss = ApiClient.NewName("boss");
            using var admin = await ApiClient.SignedInAsync(node, boss);
            Assert.True(await node.Services.GetRequiredService<Scalegram.Accounts.AccountService>().SetAdminAsync(boss, true, CancellationToken.None));
            var photo = await ApiClient.UploadReadyAsync(admin, TestImages.Jpeg(400, 300));
            var url = (await EdgeUrlsAsync(admin, photo.GetProperty("id").GetString()!, edge))[0];
            var sampler = node.Services.GetRequiredService<Scalegram.Ops.OpsSampler>();
            sampler.Sample(); // the baseline: lookups before this (none yet) do not count in the next point
            using var viewer = new HttpClient();
            for (var i = 0; i < 4; i++)
            {
                (await viewer.GetAsync(url)).Dispose(); // one miss, three hits
            }

            JsonElement edges;
            var deadline = DateTime.UtcNow.AddSeconds(15);
            do
            {
                await Task.Delay(200);
                edges = await admin.GetFromJsonAsync<JsonElement>("/api/ops/edges");
            }
            while (edges.GetProperty("edges").EnumerateArray().Sum(e => e.GetProperty("hits").GetInt64()) < 3 && DateTime.UtcNow < deadline);

            Assert.True(edges.GetProperty("configured").GetBoolean());
            Assert.True(edges.GetProperty("up").GetBoolean());
            var counted = Assert.Single(edges.GetProperty("edges").EnumerateArray());
            Assert.Equal(statDir, counted.GetProperty("edge").GetString());
            Assert.Equal(3, counted.GetProperty("hits").GetInt64());
            Assert.Equal(1, counted.GetProperty("misses").GetInt64());
            Assert.Equal(0.75, counted.GetProperty("hitRatio").GetDouble(), 3);

            var point = sampler.Sample();
            Assert.Equal(0.75, point.EdgeHitRatio!.Value, 3);
            var series = await admin.GetFromJsonAsync<JsonElement>("/api/ops/series");
            Assert.Equal(0.75, series.GetProperty("points").EnumerateArray().Last().GetProperty("edgeHitRatio").GetDouble(), 3);
            var chart = await admin.GetStringAsync("/api/ops/charts/edge.svg");
            Assert.Contains("data-series=\"edge hit %\"", chart, StringComparison.Ordinal);
            Assert.Contains("id=\"edges\"", await admin.GetStringAsync("/ops"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(statDir);
        }
    }

    [Fact]
    public async Task Each_format_is_its_own_edge_object_and_the_accept_redirect_is_never_cached()
    {
        var (node, edge) = await NodeBehindEdgeAsync();
        using var alice = await ApiClient.SignedInAsync(node, ApiClient.NewName("edge"));
        var id = (await ApiClient.UploadReadyAsync(alice, TestImages.Jpeg(640, 480))).GetProperty("id").GetString()!;
        var urls = await EdgeUrlsAsync(alice, id, edge);
        Assert.Equal(9, urls.Count);
        using var viewer = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        foreach (var url in urls)
        {
            (await viewer.GetAsync(url)).Dispose();
            using var cached = await viewer.GetAsync(url);
            Assert.Equal("HIT", cached.Headers.GetValues("X-Cache").Single());
            Assert.Equal(Path.GetExtension(url) switch { ".avif" => "image/avif", ".webp" => "image/webp", _ => "image/jpeg" }, cached.Content.Headers.ContentType?.MediaType);
        }

        // The API's Accept-chosen redirect goes through the edge uncached (it passes /api), Vary intact, so
        // a client that asks for WebP after one that asked for AVIF gets its own answer.
        foreach (var (accept, extension) in new[] { ("image/avif,image/webp,*/*", ".avif"), ("image/webp,*/*", ".webp"), ("*/*", ".jpg"), ("image/avif,image/webp,*/*", ".avif") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{edge.BaseUrl}/api/photos/{id}/media/medium");
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await viewer.SendAsync(request);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("PASS", response.Headers.GetValues("X-Cache").Single());
            Assert.Contains("Accept", response.Headers.Vary);
            var location = response.Headers.Location!.OriginalString;
            Assert.StartsWith(edge.BaseUrl + "/media/p/", location, StringComparison.Ordinal);
            Assert.EndsWith(extension, location, StringComparison.Ordinal);
            Assert.Contains(location, urls);
        }
    }

    private async Task<(TestServer Node, VarnishServer Edge)> NodeBehindEdgeAsync(params string[] settings)
    {
        var edgePort = ServerProcess.FreePort();
        var edgeUrl = $"http://127.0.0.1:{edgePort}";
        var node = await TestServer.StartAsync(settings:
        [
            .. await TestEngines.FreshDatabaseAsync(TestEngine.Sqlite),
            $"--Cdn:BaseUrl={edgeUrl}", $"--Cdn:PurgeUrls:0={edgeUrl}", "--Cdn:HealthInterval=00:00:00.200", .. settings,
        ]);
        _running.Add(node);
        var edge = await VarnishServer.StartAsync(node.BaseAddress.Port, port: edgePort);
        _running.Add(edge);
        return (node, edge);
    }

    /// <summary>The photo's variant URLs once the node has seen the edge up (they point at it).</summary>
    private static async Task<IReadOnlyList<string>> EdgeUrlsAsync(HttpClient client, string id, VarnishServer edge)
    {
        await UrlWhenAsync(client, id, url => url.StartsWith(edge.BaseUrl + "/media/", StringComparison.Ordinal));
        var photo = await client.GetFromJsonAsync<JsonElement>($"/api/photos/{id}");
        // Every format of every variant (AVIF, WebP, JPEG): each is its own URL, cached and purged on its own.
        return [.. photo.GetProperty("variants").EnumerateArray().SelectMany(v => v.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()!))];
    }

    /// <summary>Polls the photo until its first variant URL satisfies <paramref name="wanted"/>; fails after 15 s.</summary>
    private static async Task<string> UrlWhenAsync(HttpClient client, string id, Func<string, bool> wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var photo = await client.GetFromJsonAsync<JsonElement>($"/api/photos/{id}");
            var url = photo.GetProperty("variants")[0].GetProperty("url").GetString()!;
            if (wanted(url))
            {
                return url;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The media URL stayed {url}.");
            await Task.Delay(100);
        }
    }

    /// <summary>The status of a URL once it became <paramref name="expected"/>, or the last one seen after 15 s (the job runs in the background).</summary>
    private static async Task<HttpStatusCode> StatusOnceSettledAsync(HttpClient client, string url, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var response = await client.GetAsync(url);
            if (response.StatusCode == expected || DateTime.UtcNow > deadline)
            {
                return response.StatusCode;
            }

            await Task.Delay(50);
        }
    }

    private static async Task MetricsShowAsync(TestServer node, Func<string, bool> line)
    {
        using var client = node.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string text;
        do
        {
            text = await client.GetStringAsync("/metrics");
            if (text.Split('\n').Any(line))
            {
                return;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail("/metrics never showed the expected purge series:\n" + string.Join('\n', text.Split('\n').Where(l => l.Contains("cdn", StringComparison.Ordinal))));
    }
}
