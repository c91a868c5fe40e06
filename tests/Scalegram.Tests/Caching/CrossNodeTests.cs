using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Photos;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Scalegram.Web;
using ZiggyCreatures.Caching.Fusion;

namespace Scalegram.Tests.Caching;

/// <summary>Two web nodes on one PostgreSQL database and one Redis: sessions, cache and antiforgery agree across nodes.</summary>
public sealed class CrossNodeTests : IAsyncLifetime
{
    private WebNodes _nodes = null!;

    public async Task InitializeAsync() => _nodes = await WebNodes.StartAsync(await RedisServer.SharedAsync());

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task A_session_revoked_through_node_A_is_refused_by_node_B_at_once()
    {
        using var alice = await ApiClient.SignedInAsync(_nodes.A, "alice");
        var token = alice.DefaultRequestHeaders.Authorization!.Parameter!;
        using var onB = _nodes.B.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/api/sessions/current")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_display_name_changed_through_node_A_is_read_fresh_through_node_B()
    {
        using var alice = await ApiClient.SignedInAsync(_nodes.A, "alice");
        using var anonymousB = _nodes.B.CreateClient();

        // Warm node B's cache (L1 and L2) and prove the second read is a hit.
        Assert.Equal("alice", await DisplayNameAsync(anonymousB));
        using var hits = new CacheHits(_nodes.B);
        Assert.Equal("alice", await DisplayNameAsync(anonymousB));
        Assert.True(hits.Count > 0, "the second read through node B should come from its cache");

        var patched = await alice.PatchAsJsonAsync("/api/me", new { displayName = "Alice Liddell" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        Assert.Equal("Alice Liddell", await DisplayNameAsync(anonymousB));
    }

    [Fact]
    public async Task A_like_through_node_A_shows_in_the_feed_read_through_node_B_that_cached_it_unliked_and_an_unlike_back()
    {
        using var alice = await ApiClient.SignedInAsync(_nodes.A, "alice");
        var aliceId = (await alice.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString()!;
        var photoId = await ApiClient.UploadOkAsync(alice, TestImages.Jpeg(64, 64));
        using var aliceOnB = _nodes.B.CreateClient(alice.DefaultRequestHeaders.Authorization!.Parameter!);

        // Node B reads the feed and keeps "alice does not like it" in its cache (the entry exists, its value is none).
        Assert.False(await LikedInFeedAsync(aliceOnB, photoId));
        var key = PhotoCacheKeys.Liked(long.Parse(aliceId, CultureInfo.InvariantCulture), long.Parse(photoId, CultureInfo.InvariantCulture));
        var fusion = _nodes.B.Services.GetRequiredService<IFusionCache>();
        Assert.True((await fusion.TryGetAsync<string?>(key)).HasValue, "node B should hold the liked entry after a feed read");

        // The node that took the write answers it at once (read-your-writes); the other node's memory copy is
        // dropped by the backplane message, which arrives a moment later (a bounded wait, not a timing claim).
        Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsync($"/api/photos/{photoId}/like", null)).StatusCode);
        Assert.True(await LikedInFeedAsync(alice, photoId));
        await EventuallyAsync(async () => await LikedInFeedAsync(aliceOnB, photoId), "node B's feed to show the like made through A");
        Assert.True((await aliceOnB.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}")).GetProperty("likedByMe").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await aliceOnB.DeleteAsync($"/api/photos/{photoId}/like")).StatusCode);
        Assert.False(await LikedInFeedAsync(aliceOnB, photoId));
        await EventuallyAsync(async () => !await LikedInFeedAsync(alice, photoId), "node A's feed to show the unlike made through B");
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 15 s for {what}");
            await Task.Delay(50);
        }
    }

    private static async Task<bool> LikedInFeedAsync(HttpClient client, string photoId)
    {
        var feed = await client.GetFromJsonAsync<JsonElement>("/api/feed");
        return feed.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("id").GetString() == photoId).GetProperty("likedByMe").GetBoolean();
    }

    [Fact]
    public async Task An_antiforgery_token_from_node_A_is_accepted_by_node_B()
    {
        using var signup = _nodes.A.CreateClient();
        await signup.PostAsJsonAsync("/api/accounts", new { username = "alice", password = ApiClient.Password });
        var session = await signup.PostAsJsonAsync("/api/sessions", new { username = "alice", password = ApiClient.Password });
        var sessionCookie = CookieFrom(session, SessionAuthentication.CookieName);

        using var csrfRequest = new HttpRequestMessage(HttpMethod.Get, "/api/csrf");
        csrfRequest.Headers.Add("Cookie", sessionCookie);
        var csrf = await _nodes.A.CreateClient().SendAsync(csrfRequest);
        Assert.Equal(HttpStatusCode.OK, csrf.StatusCode);
        var token = (await csrf.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var cookies = $"{sessionCookie}; {CookieFrom(csrf, "sg_csrf")}";

        using var onB = _nodes.B.CreateClient();
        using var withoutToken = Patch(cookies, null);
        Assert.Equal(HttpStatusCode.BadRequest, (await onB.SendAsync(withoutToken)).StatusCode);
        using var withToken = Patch(cookies, token);
        Assert.Equal(HttpStatusCode.OK, (await onB.SendAsync(withToken)).StatusCode);
    }

    private static HttpRequestMessage Patch(string cookies, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, "/api/me") { Content = JsonContent.Create(new { displayName = "From B" }) };
        request.Headers.Add("Cookie", cookies);
        if (token is not null)
        {
            request.Headers.Add(CsrfProtection.HeaderName, token);
        }

        return request;
    }

    private static string CookieFrom(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    private static async Task<string> DisplayNameAsync(HttpClient client)
    {
        var profile = await client.GetFromJsonAsync<JsonElement>("/api/users/alice");
        return profile.GetProperty("displayName").GetString()!;
    }
}
