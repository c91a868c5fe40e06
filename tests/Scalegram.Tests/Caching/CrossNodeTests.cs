using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Scalegram.Web;

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
