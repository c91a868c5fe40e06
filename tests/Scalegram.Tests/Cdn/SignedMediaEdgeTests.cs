using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Scalegram.Tests.Privacy;

namespace Scalegram.Tests.Cdn;

/// <summary>
/// A private account's media through a real Varnish edge in front of a real node: the edge serves and
/// caches a signed URL only under that exact URL, refuses expired and malformed ones itself, passes
/// tampered ones to the origin (403), never serves the public path; turning private purges the public
/// copies it had cached, and deleting a private photo bans its signed copies.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class SignedMediaEdgeTests : IAsyncLifetime
{
    private TestServer _node = null!;
    private VarnishServer _edge = null!;

    public async Task InitializeAsync()
    {
        var edgePort = ServerProcess.FreePort();
        var edgeUrl = $"http://127.0.0.1:{edgePort}";
        _node = await TestServer.StartAsync(settings:
        [
            .. await TestEngines.FreshDatabaseAsync(TestEngine.Sqlite),
            $"--Cdn:BaseUrl={edgeUrl}", $"--Cdn:PurgeUrls:0={edgeUrl}", "--Cdn:HealthInterval=00:00:00.200",
        ]);
        _edge = await VarnishServer.StartAsync(_node.BaseAddress.Port, port: edgePort);
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _node.DisposeAsync();
    }

    [Fact]
    public async Task A_signed_url_is_cached_under_itself_and_expired_tampered_or_public_paths_are_refused()
    {
        using var cast = await PrivateCast.CreateAsync(_node);
        var url = await EdgeUrlAsync(cast[Viewer.Owner], cast.NewPhotoId);
        Assert.StartsWith(_edge.BaseUrl + "/media/s/", url, StringComparison.Ordinal);
        using var browser = new HttpClient();

        using (var first = await browser.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var second = await browser.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal("HIT", second.Headers.GetValues("X-Cache").Single());
            Assert.True(second.Headers.CacheControl?.Private);
            Assert.Equal("image/jpeg", second.Content.Headers.ContentType?.MediaType);
        }

        var path = url[_edge.BaseUrl.Length..];
        var key = PrivateCast.KeyOf(path);
        var parts = path.Split('/');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // Same key, same expiry, wrong signature: not the cached object (the hash is the whole URL); the origin refuses it.
        var tampered = path.Replace(parts[4], new string('A', parts[4].Length), StringComparison.Ordinal);
        using (var response = await browser.GetAsync(_edge.BaseUrl + tampered))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.NotEqual("HIT", response.Headers.GetValues("X-Cache").Single());
        }

        // Correctly signed but expired: the edge refuses it without asking anyone.
        var expired = await PrivateCast.SignAsync(_node, key, now - 1);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync(_edge.BaseUrl + expired)).StatusCode);
        // Malformed and query-string variants.
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"{_edge.BaseUrl}/media/s/{parts[3]}/short/{key}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"{_edge.BaseUrl}{path}?x=1")).StatusCode);
        // The public path of a private photo is a 404 at the edge too (the origin says so on the miss).
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"{_edge.BaseUrl}/media/{key}")).StatusCode);
    }

    [Fact]
    public async Task Turning_private_purges_the_public_copies_the_edge_had_cached()
    {
        using var owner = await ApiClient.SignedInAsync(_node, ApiClient.NewName("edgep"));
        var id = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(400, 300))).GetProperty("id").GetString()!;
        var url = await EdgeUrlAsync(owner, id);
        Assert.StartsWith(_edge.BaseUrl + "/media/p/", url, StringComparison.Ordinal);
        using var browser = new HttpClient();
        (await browser.GetAsync(url)).Dispose();
        using (var cached = await browser.GetAsync(url))
        {
            Assert.Equal("HIT", cached.Headers.GetValues("X-Cache").Single());
        }

        await PrivateCast.SetPrivateAsync(owner, true);

        Assert.Equal(HttpStatusCode.NotFound, await StatusOnceSettledAsync(browser, url, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Deleting_a_private_photo_bans_its_signed_copies_at_once()
    {
        using var cast = await PrivateCast.CreateAsync(_node);
        var url = await EdgeUrlAsync(cast[Viewer.Owner], cast.NewPhotoId);
        using var browser = new HttpClient();
        (await browser.GetAsync(url)).Dispose();
        using (var cached = await browser.GetAsync(url))
        {
            Assert.Equal("HIT", cached.Headers.GetValues("X-Cache").Single());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await cast[Viewer.Owner].DeleteAsync($"/api/photos/{cast.NewPhotoId}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, await StatusOnceSettledAsync(browser, url, HttpStatusCode.NotFound));
    }

    /// <summary>The first variant URL of a photo once the node has seen the edge up (it points at the edge).</summary>
    private async Task<string> EdgeUrlAsync(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var photo = await client.GetFromJsonAsync<JsonElement>($"/api/photos/{id}");
            var url = photo.GetProperty("variants")[0].GetProperty("url").GetString()!;
            if (url.StartsWith(_edge.BaseUrl, StringComparison.Ordinal))
            {
                return url;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The media URL stayed {url}.");
            await Task.Delay(100);
        }
    }

    private static async Task<HttpStatusCode> StatusOnceSettledAsync(HttpClient client, string url, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
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
}
