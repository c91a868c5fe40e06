using System.Net;
using System.Net.Sockets;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Cdn;

/// <summary>
/// The edge's VCL (deploy/varnish/scalegram.vcl.template) on a real varnishd in front of a small
/// counting origin: what it caches, what it never caches, what it strips, coalescing, purge and ban.
/// </summary>
public sealed class EdgeCacheTests : IAsyncLifetime
{
    private FakeOrigin _origin = null!;
    private VarnishServer _edge = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _origin = await FakeOrigin.StartAsync();
        _edge = await VarnishServer.StartAsync(_origin.Port);
        _client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _edge.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _edge.DisposeAsync();
        await _origin.DisposeAsync();
    }

    [Fact]
    public async Task Media_is_a_miss_then_a_hit_with_an_age_and_the_origin_is_asked_once()
    {
        using var first = await _client.GetAsync("/media/p/1/large-abc.jpg");
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var second = await _client.GetAsync("/media/p/1/large-abc.jpg");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("MISS", first.Headers.GetValues("X-Cache").Single());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("HIT", second.Headers.GetValues("X-Cache").Single());
        Assert.True(second.Headers.Age >= TimeSpan.FromSeconds(1), $"Age was {second.Headers.Age}");
        Assert.Equal(FakeOrigin.Image, await second.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", second.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(1, _origin.RequestsFor("/media/p/1/large-abc.jpg"));
    }

    [Fact]
    public async Task A_query_string_cannot_split_media_into_copies()
    {
        using var first = await _client.GetAsync("/media/p/2/large-abc.jpg?bust=1");
        using var second = await _client.GetAsync("/media/p/2/large-abc.jpg?bust=2");

        Assert.Equal("HIT", second.Headers.GetValues("X-Cache").Single());
        Assert.Equal(1, _origin.RequestsFor("/media/p/2/large-abc.jpg"));
    }

    [Fact]
    public async Task Cookies_never_reach_the_origin_for_media_but_do_for_pages()
    {
        using var media = new HttpRequestMessage(HttpMethod.Get, "/media/p/3/thumb-abc.jpg");
        media.Headers.Add("Cookie", "session=secret");
        using var page = new HttpRequestMessage(HttpMethod.Get, "/page");
        page.Headers.Add("Cookie", "session=secret");

        (await _client.SendAsync(media)).Dispose();
        (await _client.SendAsync(page)).Dispose();

        Assert.Equal([null], _origin.CookiesFor("/media/p/3/thumb-abc.jpg"));
        Assert.Equal(["session=secret"], _origin.CookiesFor("/page"));
    }

    [Fact]
    public async Task Media_that_sets_a_cookie_is_never_stored()
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.GetAsync("/media/p/cookie/x-abc.jpg");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual("HIT", response.Headers.GetValues("X-Cache").Single());
        }

        Assert.Equal(3, _origin.RequestsFor("/media/p/cookie/x-abc.jpg"));
    }

    [Theory]
    [InlineData("/page")]
    [InlineData("/api/me")]
    public async Task Pages_and_the_api_are_never_cached_even_when_the_origin_says_public(string path)
    {
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", "session=alice");
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual("HIT", response.Headers.GetValues("X-Cache").Single());
        }

        Assert.Equal(3, _origin.RequestsFor(path));
    }

    [Fact]
    public async Task Concurrent_misses_for_one_object_make_one_origin_request()
    {
        const int clients = 20;
        var responses = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => _client.GetAsync("/media/p/slow/large-abc.jpg")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, _origin.RequestsFor("/media/p/slow/large-abc.jpg"));

        // They really were concurrent: the others waited on the one fetch in flight (Varnish's waiting list).
        // (Worker threads fold their counters into the shared ones in batches: give it a moment to show.)
        var waited = await _edge.CounterAsync("MAIN.busy_sleep");
        for (var deadline = DateTime.UtcNow.AddSeconds(10); waited == 0 && DateTime.UtcNow < deadline; waited = await _edge.CounterAsync("MAIN.busy_sleep"))
        {
            await Task.Delay(100);
        }

        Assert.True(waited > 0, "no request waited on the busy object");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Purge_from_loopback_removes_the_object_and_the_next_get_goes_to_the_origin()
    {
        (await _client.GetAsync("/media/p/4/large-abc.jpg")).Dispose();
        using var purge = await _client.SendAsync(new HttpRequestMessage(new HttpMethod("PURGE"), "/media/p/4/large-abc.jpg"));
        using var after = await _client.GetAsync("/media/p/4/large-abc.jpg");

        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal("MISS", after.Headers.GetValues("X-Cache").Single());
        Assert.Equal(2, _origin.RequestsFor("/media/p/4/large-abc.jpg"));
    }

    [Fact]
    public async Task Ban_by_photo_prefix_removes_all_its_variants_and_nothing_else()
    {
        string[] variants = ["/media/p/5/large-abc.jpg", "/media/p/5/thumb-abc.jpg"];
        foreach (var path in (string[])[.. variants, "/media/p/6/large-abc.jpg"])
        {
            (await _client.GetAsync(path)).Dispose();
        }

        using var ban = new HttpRequestMessage(new HttpMethod("BAN"), "/");
        ban.Headers.Add("X-Ban-Prefix", "/media/p/5/");
        using var banned = await _client.SendAsync(ban);

        Assert.Equal(HttpStatusCode.OK, banned.StatusCode);
        foreach (var path in variants)
        {
            using var response = await _client.GetAsync(path);
            Assert.Equal("MISS", response.Headers.GetValues("X-Cache").Single());
        }

        using var other = await _client.GetAsync("/media/p/6/large-abc.jpg");
        Assert.Equal("HIT", other.Headers.GetValues("X-Cache").Single());
    }

    [Fact]
    public async Task A_ban_that_is_not_a_plain_media_prefix_is_refused()
    {
        using var ban = new HttpRequestMessage(new HttpMethod("BAN"), "/");
        ban.Headers.Add("X-Ban-Prefix", ".*");
        using var response = await _client.SendAsync(ban);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Purge_and_ban_from_outside_the_acl_are_refused_and_change_nothing()
    {
        (await _client.GetAsync("/media/p/7/large-abc.jpg")).Dispose();

        // 127.0.0.2 is loopback but not in the ACL (which lists 127.0.0.1 and ::1): it stands for any other host.
        using var outsider = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                    await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = _edge.BaseAddress };
        using var purge = await outsider.SendAsync(new HttpRequestMessage(new HttpMethod("PURGE"), "/media/p/7/large-abc.jpg"));
        using var ban = new HttpRequestMessage(new HttpMethod("BAN"), "/");
        ban.Headers.Add("X-Ban-Prefix", "/media/p/7/");
        using var banned = await outsider.SendAsync(ban);
        using var after = await outsider.GetAsync("/media/p/7/large-abc.jpg");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, purge.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, banned.StatusCode);
        Assert.Equal("HIT", after.Headers.GetValues("X-Cache").Single());
        Assert.Equal(1, _origin.RequestsFor("/media/p/7/large-abc.jpg"));
    }

    [Fact]
    public async Task The_edge_counts_hits_and_misses_for_the_hit_ratio()
    {
        for (var i = 0; i < 4; i++)
        {
            (await _client.GetAsync("/media/p/8/large-abc.jpg")).Dispose();
        }

        // Worker threads fold their counters into the shared ones in batches, so wait for the last request to show.
        var counters = await _edge.CountersAsync();
        for (var deadline = DateTime.UtcNow.AddSeconds(10); counters.Hits + counters.Misses < 4 && DateTime.UtcNow < deadline; counters = await _edge.CountersAsync())
        {
            await Task.Delay(100);
        }

        Assert.Equal(3, counters.Hits);
        Assert.Equal(1, counters.Misses);
        Assert.Equal(1, counters.BackendRequests);
    }
}
